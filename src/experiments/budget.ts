/**
 * The memory budget a command may use, and the check of an estimate
 * (memory.ts) against it before anything is allocated. The default is half
 * of the machine's memory — of the container's limit when a cgroup sets a
 * lower one — so a run that would swap the machine or be killed by the
 * kernel is refused in one sentence instead. `--memory SIZE` or the
 * environment variable GRADSCOPE_MEMORY=SIZE (8G, 512M, 2.5GB, bytes)
 * overrides it. Node-side.
 */
import { readFileSync } from 'node:fs';
import { constants as bufferConstants } from 'node:buffer';
import { totalmem } from 'node:os';
import { InputError } from '../errors.js';
import { describeEstimate, formatBytes, type MemoryEstimate } from './memory.js';

/** The environment variable that sets the budget. */
export const MEMORY_ENV = 'GRADSCOPE_MEMORY';

/** A memory budget and where it comes from, for messages. */
export interface MemoryBudget {
  readonly bytes: number;
  /** "half of this machine's 23.5 GB", "--memory 8G", "GRADSCOPE_MEMORY=8G". */
  readonly source: string;
}

const UNITS: Readonly<Record<string, number>> = { '': 1, b: 1, k: 2 ** 10, kb: 2 ** 10, kib: 2 ** 10, m: 2 ** 20, mb: 2 ** 20, mib: 2 ** 20, g: 2 ** 30, gb: 2 ** 30, gib: 2 ** 30, t: 2 ** 40, tb: 2 ** 40, tib: 2 ** 40 };

/** Parses a size such as 8G, 512M, 2.5GB or 1000000 (bytes); throws an InputError naming `where`. */
export function parseSize(text: string, where: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? UNITS[m[2].toLowerCase()] : undefined;
  const bytes = m && unit !== undefined ? Number(m[1]) * unit : NaN;
  if (!(Number.isFinite(bytes) && bytes >= 2 ** 20)) throw new InputError(`${where} must be a size of at least 1M, such as 8G, 512M or 2.5GB; got ${JSON.stringify(text)}`);
  return Math.floor(bytes);
}

/** The memory limit of this process's cgroup (v2, else v1), or null when there is none. */
function cgroupLimit(): number | null {
  for (const file of ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes']) {
    try {
      const text = readFileSync(file, 'utf8').trim();
      const n = Number(text);
      if (Number.isFinite(n) && n > 0 && n < 2 ** 60) return n;
    } catch {
      // no such controller here
    }
  }
  return null;
}

/** The budget: `option` (--memory) if given, else GRADSCOPE_MEMORY, else half of the machine's (or container's) memory. */
export function memoryBudget(option?: string, env: NodeJS.ProcessEnv = process.env): MemoryBudget {
  if (option !== undefined) return { bytes: parseSize(option, '--memory'), source: `--memory ${option}` };
  const fromEnv = env[MEMORY_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return { bytes: parseSize(fromEnv, MEMORY_ENV), source: `${MEMORY_ENV}=${fromEnv}` };
  const machine = totalmem();
  const limit = cgroupLimit();
  if (limit !== null && limit < machine) return { bytes: Math.floor(limit / 2), source: `half of this container's ${formatBytes(limit)} limit` };
  return { bytes: Math.floor(machine / 2), source: `half of this machine's ${formatBytes(machine)}` };
}

/** The most elements one typed array may have. */
export const MAX_BUFFER_ELEMENTS = bufferConstants.MAX_LENGTH;

/**
 * Throws an InputError when `e` exceeds `budget` (or needs one buffer longer
 * than a typed array can be): "SUBJECT needs about 14.4 GB of memory
 * (parameters 9.6 GB, activations 4.8 GB), more than the budget of …".
 */
export function checkMemory(e: MemoryEstimate, budget: MemoryBudget, subject: string): void {
  if (e.largestBuffer > MAX_BUFFER_ELEMENTS) {
    throw new InputError(`${subject} needs one buffer of ${e.largestBuffer.toExponential(2)} values, more than the ${MAX_BUFFER_ELEMENTS} an array can hold; choose smaller settings`);
  }
  if (e.bytes > budget.bytes) {
    throw new InputError(`${subject} needs ${describeEstimate(e, 'of memory')}, more than the budget of ${formatBytes(budget.bytes)} (${budget.source}); choose smaller settings, or raise the budget with --memory SIZE or ${MEMORY_ENV}=SIZE`);
  }
}
