/**
 * How the long-running commands (train, study, sweep, worker) stop: SIGINT
 * (Ctrl-C), SIGTERM (timeout, Kubernetes, systemd) and SIGHUP (a closed
 * terminal) are handled alike. The first asks the command to stop at its
 * next safe point and says so; the command then ends saying what it kept,
 * with exit status 128 + the signal's number, as shells expect. A second
 * signal — or the command not ending within its grace time — quits at once,
 * again saying what is kept. One mechanism for every command, so they
 * behave the same way.
 */
import { constants } from 'node:os';

/** The signals that stop a command. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** One of STOP_SIGNALS. */
export type StopSignalName = (typeof STOP_SIGNALS)[number];

/** The exit status of a process ended by `sig`: 128 + its number (SIGINT 130, SIGTERM 143, SIGHUP 129). */
export function signalExitCode(sig: StopSignalName): number {
  return 128 + constants.signals[sig];
}

/** Options of `stopOnSignals`. */
export interface StopOptions {
  /** The command's name, for messages ("train"). */
  readonly command: string;
  /** What the first signal makes the command do ("stopping after the current step"). */
  readonly stopping: string;
  /** What is kept if the process quits now ("the 12 results recorded are kept"). */
  readonly kept: () => string;
  /** Quit at once this long after the first signal if the command has not ended (default: wait). */
  readonly graceMs?: number;
  /** The first signal quits at once (a command with nothing to finish, such as the study before it writes). */
  readonly atOnce?: boolean;
  /** Where messages go (default stderr). */
  readonly log?: (line: string) => void;
  /** How to quit at once (default process.exit). */
  readonly exit?: (code: number) => void;
}

/** A command's handle on the stop signals. */
export interface Stopper {
  /** Aborted by the first signal. */
  readonly signal: AbortSignal;
  /** The first signal received, or null. */
  readonly received: StopSignalName | null;
  /** 128 + the first signal's number, or null when none came. */
  readonly exitCode: number | null;
  /** Stops listening (call when the command ends). */
  dispose(): void;
}

/** Listens for SIGINT, SIGTERM and SIGHUP on behalf of one command until disposed. */
export function stopOnSignals(o: StopOptions): Stopper {
  const ctrl = new AbortController();
  // on a terminal, after the ^C the shell echoed (and a progress bar), on a line of its own
  const log = o.log ?? ((line: string): void => void process.stderr.write(`${process.stderr.isTTY === true ? '\n' : ''}${line}\n`));
  const exit = o.exit ?? ((code: number): void => process.exit(code));
  let received: StopSignalName | null = null;
  let grace: NodeJS.Timeout | null = null;
  const quit = (why: string): void => {
    log(`gradscope ${o.command}: ${why}; quitting now: ${o.kept()}`);
    exit(signalExitCode(received ?? 'SIGINT'));
  };
  const handlers = STOP_SIGNALS.map((sig) => {
    const h = (): void => {
      if (received !== null) return quit(`${sig} again`);
      received = sig;
      if (o.atOnce) return quit(sig);
      ctrl.abort();
      log(`gradscope ${o.command}: ${sig}: ${o.stopping} (a second signal quits at once)`);
      if (o.graceMs !== undefined) {
        grace = setTimeout(() => quit(`still running ${Math.round(o.graceMs! / 1000)} s after ${sig}`), o.graceMs);
        grace.unref();
      }
    };
    process.on(sig, h);
    return [sig, h] as const;
  });
  return {
    signal: ctrl.signal,
    get received() {
      return received;
    },
    get exitCode() {
      return received === null ? null : signalExitCode(received);
    },
    dispose() {
      for (const [sig, h] of handlers) process.off(sig, h);
      if (grace !== null) clearTimeout(grace);
    },
  };
}
