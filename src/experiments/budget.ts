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
import { InputError, inputError, type Part } from '../errors.js';
import { msg, phrase } from '../i18n/catalogue.js';
import type { Msg } from '../i18n/message.js';
import { formatBytes, type MemoryEstimate } from './memory.js';

/** The environment variable that sets the budget. */
export const MEMORY_ENV = 'GRADSCOPE_MEMORY';

/** A memory budget and where it comes from, for messages. */
export interface MemoryBudget {
  readonly bytes: number;
  /** "half of this machine's 23.5 GB", "--memory 8G", "GRADSCOPE_MEMORY=8G". */
  readonly source: string;
  /** `source` as a message of the catalogue, for another language (absent: the source is a flag or variable as written). */
  readonly sourceSaid?: Msg;
}

const UNITS: Readonly<Record<string, number>> = { '': 1, b: 1, k: 2 ** 10, kb: 2 ** 10, kib: 2 ** 10, m: 2 ** 20, mb: 2 ** 20, mib: 2 ** 20, g: 2 ** 30, gb: 2 ** 30, gib: 2 ** 30, t: 2 ** 40, tb: 2 ** 40, tib: 2 ** 40 };

/** Parses a size such as 8G, 512M, 2.5GB or 1000000 (bytes); throws an InputError naming `where`. */
export function parseSize(text: string, where: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? UNITS[m[2].toLowerCase()] : undefined;
  const bytes = m && unit !== undefined ? Number(m[1]) * unit : NaN;
  if (!(Number.isFinite(bytes) && bytes >= 2 ** 20)) {
    const said = msg('err.got', { clause: msg('err.mem.size'), value: JSON.stringify(text) });
    throw new InputError(`${where} ${phrase('en', said)}`, undefined, [where], said);
  }
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
  if (limit !== null && limit < machine) return withSource(Math.floor(limit / 2), msg('err.mem.halfContainer', { size: formatBytes(limit) }));
  return withSource(Math.floor(machine / 2), msg('err.mem.halfMachine', { size: formatBytes(machine) }));
}

/** A budget of `bytes` whose source is the message `said`. */
export function withSource(bytes: number, said: Msg): MemoryBudget {
  return { bytes, source: phrase('en', said), sourceSaid: said };
}

/** The most elements one typed array may have. */
export const MAX_BUFFER_ELEMENTS = bufferConstants.MAX_LENGTH;

/** The catalogue's words for the parts of an estimate (memory.ts); a part not listed is named as it is ("model.json"). */
const PART_WORDS: Readonly<Record<string, Msg>> = {
  parameters: msg('err.mem.part.parameters'),
  activations: msg('err.mem.part.activations'),
  jacobians: msg('err.mem.part.jacobians'),
  data: msg('err.mem.part.data'),
  'run overhead': msg('err.mem.part.overhead'),
  'BPTT buffers': msg('err.mem.part.bptt'),
  'buffer views': msg('err.mem.part.views'),
  sequences: msg('err.mem.part.sequences'),
  'training curves': msg('err.mem.part.curves'),
  'worker threads': msg('err.mem.part.threads'),
  'main thread': msg('err.mem.part.main'),
  'finite differences': msg('err.mem.part.differences'),
};

/** "about 14.4 GB of memory (parameters 9.6 GB, activations 4.8 GB)" as a message: the total and the two largest parts. */
export function estimateSaid(e: MemoryEstimate): Msg {
  const parts = Object.entries(e.parts)
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 2)
    .map(([k, v]) => msg('err.mem.part', { name: PART_WORDS[k] ?? k, bytes: formatBytes(v) }));
  const total = formatBytes(e.bytes);
  if (parts.length === 0) return msg('err.mem.about', { total });
  return msg('err.mem.aboutParts', { total, parts: parts.length === 1 ? parts[0] : msg('err.mem.two', { a: parts[0], b: parts[1] }) });
}

/**
 * Throws an InputError when `e` exceeds `budget` (or needs one buffer longer
 * than a typed array can be): "SUBJECT needs about 14.4 GB of memory
 * (parameters 9.6 GB, activations 4.8 GB), more than the budget of …".
 * `subject` names what would need it ("--arch 784-1000-10 with
 * --probe-samples 1000"), after `where` (a file, a flag) when given.
 */
export function checkMemory(e: MemoryEstimate, budget: MemoryBudget, subject: Msg, where: readonly Part[] = []): void {
  if (e.largestBuffer > MAX_BUFFER_ELEMENTS) {
    throw inputError(where, msg('err.mem.buffer', { subject, n: e.largestBuffer.toExponential(2), max: String(MAX_BUFFER_ELEMENTS) }));
  }
  if (e.bytes > budget.bytes) {
    throw inputError(where, msg('err.mem.budget', { subject, estimate: estimateSaid(e), budget: formatBytes(budget.bytes), source: budget.sourceSaid ?? budget.source, env: MEMORY_ENV }));
  }
}
