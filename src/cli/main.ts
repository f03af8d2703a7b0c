/**
 * The `gradscope` command line: one subcommand per file under commands/,
 * JSON on stdout with --json, logs on stderr, exit codes 0 ok, 1 a run
 * failed, 2 bad usage or input — one sentence, no stack trace unless --debug.
 */
import { Command, CommanderError } from 'commander';
import { ZodError } from 'zod';
import { activationsCommand } from './commands/activations.js';
import { gradCommand } from './commands/grad.js';
import { gradcheckCommand } from './commands/gradcheck.js';
import { probeCommand } from './commands/probe.js';
import { trainCommand } from './commands/train.js';
import { studyCommand } from './commands/study.js';
import { benchCommand } from './commands/bench.js';
import { serveCommand } from './commands/serve.js';
import { rnnCommand } from './commands/rnn.js';
import { sweepCommand } from './commands/sweep.js';
import { workerCommand } from './commands/worker.js';
import { theoryCommand } from './commands/theory.js';
import { exportCommand } from './commands/export.js';
import { reportCommand } from './commands/report.js';
import { ValueError } from '../errors.js';
import { ioReason } from '../experiments/files.js';
import { InputError, UsageError } from './io.js';
import { setUpKernels, threadsFromEnv } from './kernel-threads.js';
import { HELP_CONFIG, helpLangOf, localizeHelp } from './help.js';
import { sentenceIn, type Parts } from './error-text.js';
import type { Lang } from '../i18n/lang.js';

/** Exit status a command sets (0 unless it says otherwise). */
export interface RunState {
  code: number;
}

/** Runs the CLI on `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  const args = argv.filter((a) => a !== '--debug');
  const state: RunState = { code: 0 };
  // relaxed SIMD and the kernel threads, before anything compiles the kernels
  try {
    setUpKernels(threadsFromEnv());
  } catch (e) {
    return reportError(new UsageError((e as Error).message), debug);
  }
  const lang = helpLangOf(args);
  const program = buildProgram(state, lang);
  try {
    await program.parseAsync(withCommand(args, program.commands.map((c) => c.name())), { from: 'user' });
    return state.code;
  } catch (e) {
    return reportError(e, debug, lang);
  }
}

/**
 * The arguments as commander should read them: the study when they name no
 * command (`gradscope`, `gradscope --quick`); flags written before the command
 * moved after it (`gradscope --lang zh-Hant probe`); `help A B` as `A B --help`,
 * so a subcommand's help and an unknown command's error come out as they do
 * with --help.
 */
export function withCommand(args: readonly string[], commands: readonly string[]): string[] {
  let i = 0;
  while (i < args.length && args[i].startsWith('-') && args[i] !== '--') i += args[i] === '--lang' ? 2 : 1;
  const lead = args.slice(0, i);
  const rest = args.slice(i);
  const help = lead.includes('--help') || lead.includes('-h');
  if (rest[0] === 'help') {
    if (rest.length === 1) return ['--help'];
    // an unknown command is commander's error, not the program's help
    if (!commands.includes(rest[1])) return [rest[1]];
    return [...rest.slice(1), '--help', ...lead.filter((a) => a !== '--help' && a !== '-h')];
  }
  // `A help [B]` as `A [B] --help`, as `help A [B]` reads
  if (rest.length > 1 && commands.includes(rest[0]) && rest[1] === 'help') return [rest[0], ...rest.slice(2), '--help', ...lead.filter((a) => a !== '--help' && a !== '-h')];
  if (rest.length > 0 && commands.includes(rest[0])) return [rest[0], ...lead, ...rest.slice(1)];
  if (rest.length === 0 && help) return ['--help'];
  return lead.length > 0 || args.length === 0 ? ['study', ...args] : [...args];
}

/**
 * The whole command tree: every subcommand, each reporting errors through
 * reportError's exit codes rather than exiting, its help in `lang`.
 */
export function buildProgram(state: RunState, lang: Lang = 'en'): Command {
  const program = new Command('gradscope')
    .description('A lab for vanishing and exploding gradients and for choosing activation functions.\nWithout a command, runs the study (gradscope study).')
    .option('--debug', 'print stack traces of errors')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureHelp(HELP_CONFIG)
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });
  program.addCommand(studyCommand(state));
  program.addCommand(activationsCommand(state));
  program.addCommand(probeCommand(state));
  program.addCommand(gradCommand(state));
  program.addCommand(gradcheckCommand(state));
  program.addCommand(trainCommand(state));
  program.addCommand(rnnCommand(state));
  program.addCommand(theoryCommand(state));
  program.addCommand(sweepCommand(state));
  program.addCommand(workerCommand(state));
  program.addCommand(exportCommand(state));
  program.addCommand(reportCommand(state));
  program.addCommand(benchCommand(state));
  program.addCommand(serveCommand(state));
  const harden = (c: Command): void => {
    c.exitOverride().showSuggestionAfterError(true).configureHelp(HELP_CONFIG);
    c.configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });
    c.commands.forEach(harden);
  };
  program.commands.forEach(harden);
  localizeHelp(program, lang);
  return program;
}

/** Turns an error into one sentence on stderr and an exit code; a user's input error in `lang` where it can be said in it. */
export function reportError(e: unknown, debug: boolean, lang: Lang = 'en'): number {
  if (e instanceof CommanderError) {
    // commander has already printed its message (or the help text)
    return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? 0 : 2;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  if (debug && err.stack) process.stderr.write(`${err.stack}\n`);
  // a user's input: one sentence, exit 2
  if (err instanceof InputError || err instanceof UsageError || err instanceof ValueError || err instanceof ZodError) {
    const said = sentenceIn(lang, err as Parts);
    process.stderr.write(said === null ? `gradscope: ${oneLine(err.message)}\n` : `gradscope：${oneLine(said)}\n`);
    return 2;
  }
  // a failure of the machine (disk, permissions): the run failed, exit 1
  if (typeof (err as NodeJS.ErrnoException).code === 'string') {
    process.stderr.write(`gradscope: the run failed: ${oneLine(err.message)}${debug ? '' : ' (run with --debug for details)'}\n`);
    return 1;
  }
  // anything else is a bug in gradscope itself, not in the input: exit 1 and ask for a report
  process.stderr.write(`gradscope: internal error: ${oneLine(err.message)}. This is a bug in gradscope, not in your input; please report it with the command you ran and the output of the same command with --debug.\n`);
  return 1;
}

/**
 * A message as one line: control characters — a newline in a file name, an
 * escape sequence — are shown escaped (\n, \u001b), so a sentence never
 * splits or repaints the terminal.
 */
export function oneLine(message: string): string {
  const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  return message.replace(/[\u0000-\u001f\u007f]/g, (c) => named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Reports a failure to write standard output (a full disk, an I/O error) in one sentence; returns exit code 1. */
export function outputFailure(e: unknown): number {
  process.stderr.write(`gradscope: cannot write to standard output (${ioReason(e)})\n`);
  return 1;
}
