/**
 * PyTorch as a peer of `gradscope bench`: runs python/torch_peer.py (shipped
 * with the package) under a Python that can `import torch`, once per thread
 * count, and drives it over JSON lines on stdin/stdout. Each trial hands it
 * the workload, the same initial weights and the same data (raw float32
 * files in a temporary folder); PyTorch times its own repetitions, so the
 * pipe is outside the measurement.
 *
 * Which BLAS PyTorch uses matters more than anything else here: Debian's
 * torch calls whatever libblas.so.3 resolves to, and the reference BLAS is
 * about 20× slower than OpenBLAS. The peer therefore puts Debian's OpenBLAS
 * folder first on LD_LIBRARY_PATH when it is installed, and reports the
 * libraries the Python process actually mapped. Node-only.
 */
import { msg } from '../i18n/catalogue.js';
import type { Msg } from '../i18n/message.js';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Contender, Trial } from './contender.js';
import { matmulOperands } from './gradscope.js';
import { initialWeights, lstmData, lstmWeights, type BenchData, type Workload } from './workloads.js';

/** The peer script, two folders up from this file in both src/bench and dist/bench. */
export const TORCH_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'python', 'torch_peer.py');

/** What a started PyTorch process reported. */
export interface TorchInfo {
  /** The Python interpreter. */
  readonly python: string;
  readonly version: string;
  /** torch.get_num_threads() in this process. */
  readonly threads: number;
  /** BLAS, LAPACK and MKL libraries the process mapped. */
  readonly blas: readonly string[];
  /** Which BLAS that is. */
  readonly blasKind: 'openblas' | 'mkl' | 'reference' | 'other' | 'none';
  /** The folder put first on LD_LIBRARY_PATH to select OpenBLAS, or null. */
  readonly libraryPath: string | null;
}

/** Where a distribution keeps OpenBLAS's libblas.so.3 (Debian and Ubuntu: libopenblas0-pthread and its siblings). */
function openblasDir(): string | null {
  const triplet = process.arch === 'arm64' ? 'aarch64-linux-gnu' : process.arch === 'x64' ? 'x86_64-linux-gnu' : null;
  const roots = triplet ? [`/usr/lib/${triplet}`, '/usr/lib64', '/usr/lib'] : ['/usr/lib64', '/usr/lib'];
  for (const r of roots) for (const d of ['openblas-pthread', 'openblas-openmp', 'openblas-serial']) if (existsSync(join(r, d, 'libblas.so.3'))) return join(r, d);
  return null;
}

/** Classifies the mapped libraries. */
function blasKindOf(paths: readonly string[]): TorchInfo['blasKind'] {
  const names = paths.map((p) => p.toLowerCase());
  if (names.some((p) => p.includes('openblas'))) return 'openblas';
  if (names.some((p) => p.includes('mkl'))) return 'mkl';
  if (names.some((p) => /\/blas\/libblas/.test(p))) return 'reference';
  return names.length > 0 ? 'other' : 'none';
}

/** The first Python that imports torch: `python`, $GRADSCOPE_PYTHON, python3 on the PATH, /usr/bin/python3; or a sentence saying none did. */
export function findTorchPython(python?: string): { python: string } | { error: Msg } {
  const tried: string[] = [];
  const candidates = [python, process.env.GRADSCOPE_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c);
  for (const c of [...new Set(candidates)]) {
    const r = spawnSync(c, ['-c', 'import torch'], { encoding: 'utf8', timeout: 120_000 });
    if (r.status === 0) return { python: c };
    tried.push(c);
    if (c === python) break; // an explicit choice is not second-guessed
  }
  return { error: msg('bench.note.torchMissing', { tried: tried.join(', '), command: 'import torch' }) };
}

/** One running peer process with `threads` threads. */
export class TorchPeer {
  private readonly lines: AsyncIterator<string>;
  private stderr = '';
  private closed = false;
  private queue: Promise<unknown> = Promise.resolve();
  private constructor(
    private readonly proc: ChildProcessWithoutNullStreams,
    /** What it reported on start. */
    public info: TorchInfo,
    private readonly dir: string,
  ) {
    this.lines = createInterface({ input: proc.stdout })[Symbol.asyncIterator]();
    // a process that failed to start or ended early shows up as the end of its output, not as an uncaught error
    proc.on('error', (e) => {
      this.stderr += e.message;
    });
    proc.stdin.on('error', () => undefined);
    proc.stderr.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-2000);
    });
  }

  /** Starts the peer with `threads` threads under `python`; a sentence when it does not come up. */
  static async start(python: string, threads: number): Promise<TorchPeer | { error: Msg }> {
    const lib = openblasDir();
    const n = String(threads);
    const env = { ...process.env, GRADSCOPE_TORCH_THREADS: n, OMP_NUM_THREADS: n, OPENBLAS_NUM_THREADS: n, MKL_NUM_THREADS: n, ...(lib ? { LD_LIBRARY_PATH: [lib, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') } : {}) };
    const proc = spawn(python, [TORCH_SCRIPT], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const peer = new TorchPeer(proc, { python, version: '', threads, blas: [], blasKind: 'none', libraryPath: lib }, mkdtempSync(join(tmpdir(), 'gradscope-torch-')));
    const hello = await peer.read();
    if ('error' in hello || hello.ready !== true) {
      peer.close();
      return { error: msg('bench.note.torchStart', { python, why: `${String(hello.error ?? 'no answer')}${peer.stderr ? ` — ${peer.stderr.trim().split('\n').pop()}` : ''}` }) };
    }
    const blas = (hello.blas as string[]) ?? [];
    peer.info = { python, version: String(hello.torch), threads: Number(hello.threads), blas, blasKind: blasKindOf(blas), libraryPath: lib };
    return peer;
  }

  /** The next line from the peer as an object (an error object when it closed). */
  private async read(): Promise<Record<string, unknown>> {
    const r = await this.lines.next();
    if (r.done) return { error: `the process ended${this.stderr ? `: ${this.stderr.trim().split('\n').pop()}` : ''}` };
    try {
      return JSON.parse(r.value) as Record<string, unknown>;
    } catch {
      return { error: `unexpected output '${r.value.slice(0, 200)}'` };
    }
  }

  /** Sends one command and waits for its answer (commands queue: one at a time); throws on an error answer. */
  request(msg: Record<string, unknown>): Promise<Record<string, unknown>> {
    const next = this.queue.then(async () => {
      if (this.closed) throw new Error('torch peer: already closed');
      this.proc.stdin.write(`${JSON.stringify(msg)}\n`);
      const r = await this.read();
      if ('error' in r) throw new Error(`torch peer (${this.info.threads} thread${this.info.threads === 1 ? '' : 's'}): ${String(r.error)}`);
      return r;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Writes a float32 or int32 array to the peer's folder; returns the path. */
  file(name: string, data: Float32Array | Int32Array): string {
    const p = join(this.dir, name);
    writeFileSync(p, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return p;
  }

  /** Ends the process and removes its folder. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.proc.stdin.write(`${JSON.stringify({ cmd: 'exit' })}\n`);
      this.proc.stdin.end();
    } catch {
      // already gone
    }
    this.proc.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Concatenates float32 arrays. */
function concat(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

let trials = 0;

/** The `torch-Nt` contender on one peer process. */
export function torchContender(peer: TorchPeer, data: () => BenchData): Contender {
  return {
    name: `torch-${peer.info.threads}t`,
    supports: () => true,
    async prepare(w: Workload, amount: number): Promise<Trial> {
      const id = `t${++trials}`;
      const msg: Record<string, unknown> = { cmd: 'prepare', id, workload: w, amount };
      if (w.kind === 'train') {
        const d = data();
        msg.weights = peer.file(`${id}-w.f32`, concat(initialWeights(w).layers.flatMap((l) => [l.W, l.b])));
        msg.data = peer.file(`${id}-x.f32`, d.ds.x.subarray(0, d.ds.n * d.ds.inputSize));
        msg.labels = peer.file(`${id}-y.i32`, Int32Array.from(d.ds.labels));
      } else if (w.kind === 'lstm') {
        const init = lstmWeights(w);
        const d = lstmData(w);
        msg.weights = peer.file(`${id}-w.f32`, concat([init.wih, init.whh, init.bias, init.headW, init.headB]));
        msg.data = peer.file(`${id}-x.f32`, d.x);
        msg.labels = peer.file(`${id}-y.i32`, d.labels);
      } else {
        const { A, B } = matmulOperands(w.n);
        msg.data = peer.file(`${id}-x.f32`, concat([A, B]));
      }
      await peer.request(msg);
      return {
        run() {
          throw new Error('torch peer: timed by measure()');
        },
        measure: async () => Number((await peer.request({ cmd: 'run', id })).seconds),
        ...(w.kind === 'matmul' ? {} : { loss: async () => Number((await peer.request({ cmd: 'loss', id })).loss) }),
        async dispose() {
          await peer.request({ cmd: 'dispose', id });
        },
      };
    },
  };
}
