/**
 * A description for results.json: the English sentence (what readers of the
 * file see) and the message it was phrased from (what a report in another
 * language says instead).
 */
import { phrase } from './catalogue.js';
import type { Msg } from './message.js';

/** `{ description, said }` for a message. */
export function described(m: Msg): { readonly description: string; readonly said: Msg } {
  return { description: phrase('en', m), said: m };
}
