/**
 * The error a user's input causes — a file, a field or a value they wrote.
 * Its message is one sentence naming the file, the field and the value; the
 * CLI prints it as is and exits with code 2.
 */

/** An error in a user's input (file, field or value). */
export class InputError extends Error {
  override readonly name = 'InputError';
}
