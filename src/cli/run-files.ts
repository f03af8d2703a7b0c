/**
 * Reading a run directory for `report` and `export --to tensorboard`: its
 * files as texts through the CLI's readers (metrics.jsonl required, the
 * others when present), then into a RunRecord.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readRun, type RunRecord } from '../interop/run-dir.js';
import { inputError } from '../errors.js';
import { msg } from '../i18n/catalogue.js';
import { readBytes } from './io.js';

/** Reads the run directory `dir`. */
export function readRunDir(dir: string): RunRecord {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw inputError([dir], msg('err.runDir.notDir'));
  const text = (name: string): string | undefined => (existsSync(join(dir, name)) ? new TextDecoder().decode(readBytes(join(dir, name))) : undefined);
  const metrics = text('metrics.jsonl');
  if (metrics === undefined) throw inputError([dir], msg('err.runDir.noMetrics', { file: 'metrics.jsonl' }));
  return readRun({ metrics, steps: text('steps.jsonl'), summary: text('summary.json'), config: text('config.json') }, dir);
}
