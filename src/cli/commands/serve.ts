/**
 * `gradscope serve`: the web lab on a local HTTP server. Serves only the
 * built lab (dist/web) and, under /report/, the study's report folder; every
 * other path is 404. Loopback by default; path traversal (`..`, encoded or
 * not, backslashes, NUL, symlinks out of the folder) is refused; requests
 * whose Host header is not the server's are refused (DNS rebinding); a
 * folder's redirect goes to its canonical path on this server, never to
 * another host. Content-hashed assets are cached for a year, everything else
 * revalidates; text, scripts and wasm go brotli- or gzip-compressed (the
 * build's precompressed copies, else zlib on the fly). Every page is
 * cross-origin isolated (COOP + COEP), so it may use SharedArrayBuffer.
 */
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, realpathSync, statSync, type Stats } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants as zlib, createBrotliCompress, createGzip } from 'node:zlib';
import { Command } from 'commander';
import Negotiator from 'negotiator';
import { numberOption, usageError } from '../io.js';
import type { RunState } from '../main.js';
import { say, msg } from '../../i18n/catalogue.js';
import type { Lang } from '../../i18n/lang.js';
import { addLangOption, langOf } from '../lang.js';

/** Content types by extension (text types in UTF-8). */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.jsonl': 'application/jsonl; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
};

/** Content types worth compressing (fonts, images and the gzipped digits are compressed already). */
export function compressible(type: string): boolean {
  return /^(text\/|application\/(json|jsonl|wasm)|image\/svg\+xml)/.test(type);
}

/** Files smaller than this go as they are: compression would not pay for its framing. */
const COMPRESS_MIN_BYTES = 1024;

/** The encodings offered, best first; a precompressed copy of FILE is FILE.br or FILE.gz. */
const ENCODINGS = [
  { name: 'br', ext: '.br' },
  { name: 'gzip', ext: '.gz' },
] as const;

/** negotiator ≥ 1.0's encoding choice with a server preference between equal qualities (its typings predate the option). */
interface EncodingNegotiator {
  encoding(available: readonly string[], options: { readonly preferred: readonly string[] }): string | undefined;
}

/** Headers of every page and file: cross-origin isolation, so the lab may use SharedArrayBuffer (threads in wasm). */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** The canonical path of `segments` (a folder: with its trailing slash): always one slash, then this server's path, never a host. */
export function canonicalPath(segments: readonly string[], folder: boolean): string {
  const path = `/${segments
    .filter((s) => s !== '')
    .map((s) => encodeURIComponent(s))
    .join('/')}`;
  return folder && !path.endsWith('/') ? `${path}/` : path;
}

/** The lab's Content-Security-Policy (the same as the page's own meta tag): nothing leaves the origin. */
export const LAB_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'none'; frame-ancestors 'none'";

/** Where the server reads from and listens. */
export interface ServeOptions {
  /** The built lab (index.html and assets/). */
  readonly root: string;
  /** The report folder served under /report/, or null. */
  readonly reportDir: string | null;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
}

/** A running server. */
export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  /** http://host:port/ */
  readonly url: string;
  close(): Promise<void>;
}

/** The folder of the built lab: dist/web next to this file's dist/cli, else the package's dist/web; null when not built. */
export function defaultWebRoot(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [resolve(here, '..', '..', 'web'), resolve(here, '..', '..', '..', 'dist', 'web')];
  return candidates.find((d) => existsSync(join(d, 'index.html'))) ?? null;
}

/** True for the loopback host names. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * The path segments of a request path, each percent-decoded, or null when a
 * segment is malformed or could leave the folder ('..', '.', a hidden file,
 * '/', '\\' or NUL after decoding).
 */
export function safeSegments(pathname: string): string[] | null {
  const out: string[] = [];
  for (const raw of pathname.split('/')) {
    if (raw === '') continue;
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (seg === '.' || seg === '..' || seg.startsWith('.') || /[/\\\0]/.test(seg)) return null;
    out.push(seg);
  }
  return out;
}

/** The file for `segments` under `base`, or null (missing, outside `base` after symlinks, or not a file). */
function fileUnder(base: string, segments: readonly string[]): { path: string; stat: Stats } | null {
  const full = resolve(base, ...segments);
  const realBase = realpathSync(base);
  if (full !== base && !full.startsWith(base + sep)) return null;
  let path = full;
  try {
    let st = statSync(path);
    if (st.isDirectory()) {
      path = join(path, 'index.html');
      st = statSync(path);
    }
    const real = realpathSync(path);
    if (!real.startsWith(realBase + sep)) return null;
    return st.isFile() ? { path, stat: st } : null;
  } catch {
    return null;
  }
}

function send(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store', ...headers });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

/** The request handler of `o`. */
export function handler(o: ServeOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const root = resolve(o.root);
  const report = o.reportDir ? resolve(o.reportDir) : null;
  const checkHost = isLoopback(o.host);
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed: only GET and HEAD.\n', { Allow: 'GET, HEAD' });
    // DNS rebinding: a loopback server answers only to loopback names
    const hostHeader = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    if (checkHost && !isLoopback(hostHeader)) return send(res, 403, `Forbidden: this server answers only to localhost, not to '${hostHeader}'.\n`);
    const url = req.url ?? '/';
    const q = url.search(/[?#]/);
    const pathname = q < 0 ? url : url.slice(0, q);
    if (!pathname.startsWith('/')) return send(res, 400, 'Bad request: the path must start with /.\n');
    const segments = safeSegments(pathname);
    if (!segments) return send(res, 400, 'Bad request: the path leaves the served folders or is malformed.\n');
    const inReport = segments[0] === 'report';
    const base = inReport ? report : root;
    const rest = inReport ? segments.slice(1) : segments;
    if (!base || !existsSync(base)) return send(res, 404, inReport ? 'Not found: no report folder is served (run gradscope study first, or pass --report DIR).\n' : 'Not found.\n');
    // a folder without its trailing slash: redirect, so the page's relative URLs resolve inside it
    const found = fileUnder(base, rest);
    if (!found) return send(res, 404, `Not found: ${pathname}\n`);
    if (!pathname.endsWith('/') && found.path.endsWith(`${sep}index.html`) && !rest[rest.length - 1]?.endsWith('.html')) {
      // built from the checked segments, not the raw path: `//report` must not become `//report/`, another host
      return send(res, 301, 'Moved.\n', { Location: `${canonicalPath(segments, true)}${q < 0 ? '' : url.slice(q).replace(/#.*$/, '')}` });
    }
    const type = CONTENT_TYPES[extname(found.path).toLowerCase()] ?? 'application/octet-stream';
    const squeeze = compressible(type);
    const st = found.stat;
    // the client's order of preference, and ours (brotli first) between equals: browsers list gzip first
    const names = [...ENCODINGS.map((x) => x.name), 'identity'];
    const offered = squeeze ? ENCODINGS.find((e) => e.name === (new Negotiator(req) as unknown as EncodingNegotiator).encoding(names, { preferred: names })) : undefined;
    // the build's precompressed copy when it is as new as the file, else zlib on the fly past a minimum size
    const copy = offered ? sibling(found, offered.ext) : null;
    const onTheFly = offered !== undefined && copy === null && st.size >= COMPRESS_MIN_BYTES;
    const coded = copy || onTheFly ? offered : undefined;
    const etag = `W/"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}${coded ? `-${coded.name}` : ''}"`;
    const immutable = !inReport && rest[0] === 'assets';
    const headers: Record<string, string> = {
      'Content-Type': type,
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      ETag: etag,
      'Last-Modified': st.mtime.toUTCString(),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      ...ISOLATION_HEADERS,
    };
    if (squeeze) headers.Vary = 'Accept-Encoding';
    if (coded) headers['Content-Encoding'] = coded.name;
    // the report page carries its own policy (it inlines its scripts); the lab gets the strict one
    if (!inReport && type.startsWith('text/html')) headers['Content-Security-Policy'] = LAB_CSP;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const body = copy ?? found;
    if (!onTheFly) headers['Content-Length'] = String(body.stat.size);
    res.writeHead(200, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const stream = createReadStream(body.path);
    stream.on('error', () => res.destroy());
    if (!onTheFly) {
      stream.pipe(res);
      return;
    }
    const z = coded?.name === 'br' ? createBrotliCompress({ params: { [zlib.BROTLI_PARAM_QUALITY]: 5, [zlib.BROTLI_PARAM_SIZE_HINT]: st.size } }) : createGzip({ level: 6 });
    z.on('error', () => res.destroy());
    stream.pipe(z).pipe(res);
  };
}

/** The precompressed copy `file + ext` beside `file`, if it is a file at least as new, in the same folder after symlinks. */
function sibling(file: { path: string; stat: Stats }, ext: string): { path: string; stat: Stats } | null {
  try {
    const st = statSync(file.path + ext);
    if (dirname(realpathSync(file.path + ext)) !== dirname(realpathSync(file.path))) return null;
    return st.isFile() && st.mtimeMs >= file.stat.mtimeMs ? { path: file.path + ext, stat: st } : null;
  } catch {
    return null;
  }
}

/** Starts the server; rejects with a UsageError naming the port when it is taken or not allowed. */
export function startServer(o: ServeOptions): Promise<RunningServer> {
  const server = createServer(handler(o));
  return new Promise((resolvePromise, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') reject(usageError([], msg('err.serve.inUse', { port: String(o.port), host: o.host })));
      else if (e.code === 'EACCES') reject(usageError([], msg('err.serve.denied', { port: String(o.port), host: o.host })));
      else if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND') reject(usageError([], msg('err.serve.noHost', { host: o.host })));
      else reject(e);
    });
    server.listen(o.port, o.host, () => {
      const port = (server.address() as AddressInfo).port;
      const h = o.host.includes(':') ? `[${o.host}]` : o.host === '0.0.0.0' || o.host === '::' ? 'localhost' : o.host;
      resolvePromise({
        server,
        port,
        url: `http://${h}:${port}/`,
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

/** Opens `url` in the system's browser (best effort). */
function openBrowser(url: string, lang: Lang): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open';
  const args = process.platform === 'win32' ? ['/c', 'start', '', url] : [url];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => process.stderr.write(`${say(lang, 'cli.serve.noBrowser', { url })}\n`));
    child.unref();
  } catch {
    process.stderr.write(`${say(lang, 'cli.serve.noBrowser', { url })}\n`);
  }
}

/** The `serve` command. */
export function serveCommand(state: RunState): Command {
  return addLangOption(new Command('serve'))
    .description('serve the web lab (activation explorer, playground, report viewer) on a local HTTP server')
    .option('--port <P>', 'port to listen on (0: any free port)', '8765')
    .option('--host <H>', 'address to listen on; the default is loopback only', '127.0.0.1')
    .option('--report <DIR>', 'study report folder served under /report/', 'report')
    .option('--open', 'open the lab in the default browser')
    .action(async (opts: { port: string; host: string; report: string; open?: boolean; lang?: string }) => {
      const lang = langOf(opts);
      // the lab opens in the command's language (English is the lab's default and needs no parameter)
      const hash = (h: string): string => (lang === 'en' ? h : `${h}${h.includes('?') ? '&' : '?'}lang=${lang}`);
      const port = numberOption('--port', opts.port, { min: 0, max: 65535, integer: true }) as number;
      const root = defaultWebRoot();
      if (!root) throw new Error('the web lab is not built: run `npm run build:web` in the gradscope folder');
      const reportDir = existsSync(opts.report) && statSync(opts.report).isDirectory() ? opts.report : null;
      const s = await startServer({ root, reportDir, host: opts.host, port });
      const hasReport = reportDir !== null && existsSync(join(reportDir, 'results.json'));
      const lab = lang === 'en' ? s.url : `${s.url}${hash('#/activations')}`;
      process.stdout.write(`${say(lang, 'cli.serve.lab', { url: lab })}\n`);
      if (hasReport) process.stdout.write(`${say(lang, 'cli.serve.report', { url: `${s.url}${hash('#/report?src=served')}`, page: `${s.url}report/` })}\n`);
      else process.stderr.write(`${say(lang, 'cli.serve.noReport', { dir: opts.report })}\n`);
      if (!isLoopback(opts.host)) process.stderr.write(`${say(lang, 'cli.serve.public', { host: opts.host })}\n`);
      process.stderr.write(`${say(lang, 'cli.serve.stop')}\n`);
      if (opts.open) openBrowser(lab, lang);
      await new Promise<void>((done) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void s.close().then(done);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      state.code = 0;
    });
}
