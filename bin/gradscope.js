#!/usr/bin/env node
// gradscope command-line entry: runs the compiled CLI in dist/.
import { main, outputFailure } from '../dist/cli/main.js';

// Standard output that cannot be written — a closed pipe (gradscope activations | head) ends the
// output quietly; a full disk or another failure (> /dev/full) is one sentence and exit 1.
process.stdout.on('error', (err) => {
  if (err && err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  process.exit(outputFailure(err));
});
// a closed terminal (SIGHUP) or pipe on stderr must not turn a message into a crash
process.stderr.on('error', () => {});

// a command whose work was left waiting on nothing (the event loop ran dry) did not finish: that is a failure
let finished = false;
process.on('beforeExit', () => {
  if (finished) return;
  finished = true;
  process.stderr.write('gradscope: the command stopped before it finished (this is a bug in gradscope; please report it)\n');
  process.exitCode = 1;
});

main(process.argv.slice(2)).then(
  (code) => {
    finished = true;
    process.exitCode = code;
    // a command that has ended ends the process, whatever handles (a Redis that went away) are left open
    setTimeout(() => process.exit(code), 3000).unref();
  },
  (err) => {
    finished = true;
    process.stderr.write(`gradscope: ${err && err.message ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
