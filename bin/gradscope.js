#!/usr/bin/env node
// gradscope command-line entry: runs the compiled CLI in dist/.
import { main } from '../dist/cli/main.js';

// A closed pipe (gradscope activations | head) ends the output quietly.
process.stdout.on('error', (err) => {
  if (err && err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`gradscope: ${err && err.message ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
