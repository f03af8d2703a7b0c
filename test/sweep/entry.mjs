#!/usr/bin/env node
// Test-only command-line entry: `gradscope sweep` and `gradscope worker` on the
// built dist/, wired as src/cli/main.ts wires every command (exit override,
// one-sentence errors, exit code 2 for bad input). The tests use it only
// while main.ts does not yet register these commands; then they run bin/gradscope.js.
import { Command } from 'commander';
import { reportError } from '../../dist/cli/main.js';
import { sweepCommand } from '../../dist/cli/commands/sweep.js';
import { workerCommand } from '../../dist/cli/commands/worker.js';

// a closed pipe (… | head) ends the output quietly, as bin/gradscope.js does
process.stdout.on('error', (err) => {
  if (err && err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

const argv = process.argv.slice(2);
const debug = argv.includes('--debug');
const args = argv.filter((a) => a !== '--debug');
const state = { code: 0 };
const program = new Command('gradscope').exitOverride().configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });
program.addCommand(sweepCommand(state));
program.addCommand(workerCommand(state));
const harden = (c) => {
  c.exitOverride().showSuggestionAfterError(true);
  c.configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });
  c.commands.forEach(harden);
};
program.commands.forEach(harden);
program.parseAsync(args, { from: 'user' }).then(
  () => {
    process.exitCode = state.code;
  },
  (e) => {
    process.exitCode = reportError(e, debug);
  },
);
