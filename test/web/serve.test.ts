// `gradscope serve`'s HTTP server, over plain Node requests on loopback: it serves the built lab and
// the report folder with the right types and cache headers, and nothing else — no path traversal,
// encoded or not, no symlinks out, no foreign Host, no redirect to another host — compresses what is
// worth compressing (brotli or gzip as the client asks; the bytes decompress to the file), isolates
// every page (COOP + COEP), and says clearly when the port is taken.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalPath, safeSegments, startServer, type RunningServer } from '../../src/cli/commands/serve.js';
import { reportError } from '../../src/cli/main.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body as received (compressed bytes when Content-Encoding says so), as UTF-8. */
  body: string;
  raw: Buffer;
}

/** One request with the path sent as is (no normalisation by a URL parser). */
function get(port: number, path: string, o: { method?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: o.method ?? 'GET', headers: o.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: raw.toString('utf8'), raw });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const SECRET = 'secret-outside-the-served-folders';
/** A script large enough to be worth compressing, and repetitive enough to compress well. */
const BIG_JS = `export const rows = [${Array.from({ length: 400 }, (_, i) => `{ index: ${i}, name: "row ${i}" }`).join(', ')}];\n`;
const BIG_JSON = JSON.stringify({ format: 'gradscope-study/1', numbers: Array.from({ length: 500 }, (_, i) => i / 7) });

describe('gradscope serve', () => {
  let dir: string;
  let server: RunningServer;
  let bare: RunningServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gradscope-serve-'));
    const web = join(dir, 'web');
    const report = join(dir, 'report');
    mkdirSync(join(web, 'assets'), { recursive: true });
    mkdirSync(join(web, 'data'), { recursive: true });
    mkdirSync(report);
    writeFileSync(join(dir, 'package.json'), `{"name":"${SECRET}"}`);
    writeFileSync(join(dir, 'secret.txt'), SECRET);
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>lab</title>');
    writeFileSync(join(web, 'assets', 'index-abc123.js'), 'export {};');
    writeFileSync(join(web, 'assets', 'big-1.js'), BIG_JS);
    // the build's precompressed copies (distinct bytes from what zlib would make on the fly, to tell them apart)
    writeFileSync(join(web, 'assets', 'big-1.js.br'), brotliCompressSync(Buffer.from(`${BIG_JS}// precompressed\n`)));
    writeFileSync(join(web, 'assets', 'big-1.js.gz'), gzipSync(Buffer.from(`${BIG_JS}// precompressed\n`)));
    writeFileSync(join(web, 'assets', 'stale-1.js'), BIG_JS);
    writeFileSync(join(web, 'assets', 'stale-1.js.br'), brotliCompressSync(Buffer.from('old')));
    utimesSync(join(web, 'assets', 'stale-1.js.br'), new Date(2000, 0, 1), new Date(2000, 0, 1));
    writeFileSync(join(dir, 'outside.js.br'), brotliCompressSync(Buffer.from(SECRET)));
    writeFileSync(join(web, 'assets', 'linked-1.js'), BIG_JS);
    symlinkSync(join(dir, 'outside.js.br'), join(web, 'assets', 'linked-1.js.br'));
    writeFileSync(join(web, 'assets', 'KaTeX_Main-Regular-x.woff2'), 'wOF2');
    writeFileSync(join(web, 'data', 'digits.bin'), Buffer.from([0x1f, 0x8b, 0, 0]));
    writeFileSync(join(web, '.env'), SECRET);
    symlinkSync(join(dir, 'secret.txt'), join(web, 'link.txt'));
    writeFileSync(join(report, 'results.json'), '{"format":"gradscope-study/1"}');
    writeFileSync(join(report, 'index.html'), '<!doctype html><title>report</title>');
    writeFileSync(join(report, 'summary.md'), '# summary');
    writeFileSync(join(report, 'big.json'), BIG_JSON);
    mkdirSync(join(report, 'a b'));
    writeFileSync(join(report, 'a b', 'index.html'), '<!doctype html><title>spaced</title>');
    server = await startServer({ root: web, reportDir: report, host: '127.0.0.1', port: 0 });
    bare = await startServer({ root: web, reportDir: null, host: '127.0.0.1', port: 0 });
  });

  afterAll(async () => {
    await server?.close();
    await bare?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the lab at / with its security policy, revalidated on every load', async () => {
    const r = await get(server.port, '/');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['cache-control']).toBe('no-cache');
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.body).toContain('<title>lab</title>');
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
  });

  it('gives each file its content type and caches the hashed assets for a year', async () => {
    const js = await get(server.port, '/assets/index-abc123.js');
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await get(server.port, '/assets/KaTeX_Main-Regular-x.woff2')).headers['content-type']).toBe('font/woff2');
    const bin = await get(server.port, '/data/digits.bin');
    expect(bin.headers['content-type']).toBe('application/octet-stream');
    expect(bin.headers['content-encoding']).toBeUndefined();
    expect(bin.headers['cache-control']).toBe('no-cache');
  });

  it('serves the report folder under /report/, with its own page policy', async () => {
    const json = await get(server.port, '/report/results.json');
    expect(json.status).toBe(200);
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(json.body)).toEqual({ format: 'gradscope-study/1' });
    expect((await get(server.port, '/report/summary.md')).headers['content-type']).toBe('text/markdown; charset=utf-8');
    const page = await get(server.port, '/report/');
    expect(page.body).toContain('<title>report</title>');
    expect(page.headers['content-security-policy']).toBeUndefined();
    const redirect = await get(server.port, '/report');
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe('/report/');
  });

  // `//report` used to answer `Location: //report/`, which a browser reads as the host "report"
  const folderForms: [string, string][] = [
    ['/report', '/report/'],
    ['//report', '/report/'],
    ['///report', '/report/'],
    ['//report?x=1', '/report/?x=1'],
    ['/report//', ''],
    ['//a%20b', ''],
    ['/report//a%20b', '/report/a%20b/'],
    ['//report//a%20b', '/report/a%20b/'],
  ];
  for (const [path, location] of folderForms) {
    it(`redirects ${path} to a path of this server only`, async () => {
      const r = await get(server.port, path);
      if (location === '') {
        expect([200, 404]).toContain(r.status);
        expect(r.headers.location).toBeUndefined();
        return;
      }
      expect(r.status).toBe(301);
      expect(r.headers.location).toBe(location);
      // resolved as a browser does, it stays on this origin
      expect(new URL(String(r.headers.location), server.url).origin).toBe(new URL(server.url).origin);
    });
  }

  it('builds a redirect from checked segments: one leading slash, every segment encoded', () => {
    expect(canonicalPath(['report'], true)).toBe('/report/');
    expect(canonicalPath(['report', 'a b', 'x:y'], true)).toBe('/report/a%20b/x%3Ay/');
    expect(canonicalPath([], true)).toBe('/');
    for (const segs of [['', 'evil.example'], ['/evil.example'], ['\\evil.example']]) expect(canonicalPath(segs, true).startsWith('//')).toBe(false);
  });

  it('isolates every page and file (COOP + COEP + CORP), so the lab may use SharedArrayBuffer', async () => {
    for (const path of ['/', '/assets/index-abc123.js', '/report/', '/report/results.json', '/data/digits.bin']) {
      const r = await get(server.port, path);
      expect(r.status, path).toBe(200);
      expect(r.headers['cross-origin-opener-policy'], path).toBe('same-origin');
      expect(r.headers['cross-origin-embedder-policy'], path).toBe('require-corp');
      expect(r.headers['cross-origin-resource-policy'], path).toBe('same-origin');
    }
  });

  it('sends the build\'s brotli or gzip copy as the client asks, and the file as it is otherwise', async () => {
    const br = await get(server.port, '/assets/big-1.js', { headers: { 'Accept-Encoding': 'gzip, deflate, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(brotliDecompressSync(br.raw).toString()).toBe(`${BIG_JS}// precompressed\n`);
    expect(Number(br.headers['content-length'])).toBe(br.raw.length);
    const gz = await get(server.port, '/assets/big-1.js', { headers: { 'Accept-Encoding': 'gzip;q=1, br;q=0.5' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.raw).toString()).toBe(`${BIG_JS}// precompressed\n`);
    for (const ae of ['identity', 'br;q=0, gzip;q=0', '']) {
      const plain = await get(server.port, '/assets/big-1.js', { headers: { 'Accept-Encoding': ae } });
      expect(plain.headers['content-encoding'], ae).toBeUndefined();
      expect(plain.body, ae).toBe(BIG_JS);
    }
    // a copy older than its file is stale, and one that is a symlink out of the folder is not the file's: zlib on the fly instead
    for (const path of ['/assets/stale-1.js', '/assets/linked-1.js']) {
      const fly = await get(server.port, path, { headers: { 'Accept-Encoding': 'br' } });
      expect(fly.headers['content-encoding'], path).toBe('br');
      expect(brotliDecompressSync(fly.raw).toString(), path).toBe(BIG_JS);
    }
  });

  it('compresses report files on the fly, leaves small and already-compressed files alone, and keys the ETag by encoding', async () => {
    const json = await get(server.port, '/report/big.json', { headers: { 'Accept-Encoding': 'br' } });
    expect(json.headers['content-encoding']).toBe('br');
    expect(json.headers['content-length']).toBeUndefined();
    expect(brotliDecompressSync(json.raw).toString()).toBe(BIG_JSON);
    expect(json.raw.length).toBeLessThan(BIG_JSON.length / 2);
    const gz = await get(server.port, '/report/big.json', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(gunzipSync(gz.raw).toString()).toBe(BIG_JSON);
    expect(gz.headers.etag).not.toBe(json.headers.etag);
    // a conditional request gets 304 only for the encoding it holds
    expect((await get(server.port, '/report/big.json', { headers: { 'Accept-Encoding': 'br', 'If-None-Match': String(json.headers.etag) } })).status).toBe(304);
    expect((await get(server.port, '/report/big.json', { headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': String(json.headers.etag) } })).status).toBe(200);
    const small = await get(server.port, '/assets/index-abc123.js', { headers: { 'Accept-Encoding': 'br' } });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.body).toBe('export {};');
    const bin = await get(server.port, '/data/digits.bin', { headers: { 'Accept-Encoding': 'br, gzip' } });
    expect(bin.headers['content-encoding']).toBeUndefined();
    expect(bin.headers.vary).toBeUndefined();
    const head = await get(server.port, '/assets/big-1.js', { method: 'HEAD', headers: { 'Accept-Encoding': 'br' } });
    expect(head.headers['content-encoding']).toBe('br');
    expect(head.body).toBe('');
  });

  it('answers 404 for missing files, and says so when no report folder is served', async () => {
    const r = await get(server.port, '/nope.html');
    expect(r.status).toBe(404);
    expect(r.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(r.body).toContain('Not found');
    const none = await get(bare.port, '/report/results.json');
    expect(none.status).toBe(404);
    expect(none.body).toMatch(/no report folder is served \(run gradscope study/);
  });

  const attacks = [
    '/../package.json',
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E/%2E%2E/secret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/..%5csecret.txt',
    '/report/../secret.txt',
    '/report/%2e%2e/secret.txt',
    '/index.html%00.js',
    '/.env',
    '/%2eenv',
    '/link.txt',
    '/%c0%ae%c0%ae/secret.txt',
    'secret.txt',
  ];
  for (const path of attacks) {
    it(`refuses ${path}`, async () => {
      const r = await get(server.port, path);
      expect([400, 404]).toContain(r.status);
      expect(r.body).not.toContain(SECRET);
    });
  }

  it('refuses a path that leaves the folder, segment by segment', () => {
    expect(safeSegments('/a/b.js')).toEqual(['a', 'b.js']);
    expect(safeSegments('/a/%2e%2e/b')).toBeNull();
    expect(safeSegments('/a%2fb')).toBeNull();
    expect(safeSegments('/%ZZ')).toBeNull();
  });

  it('answers HEAD without a body, 304 to a matching ETag, and 405 to other methods', async () => {
    const head = await get(server.port, '/assets/index-abc123.js', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe('10');
    expect(head.body).toBe('');
    const etag = String(head.headers.etag);
    expect((await get(server.port, '/assets/index-abc123.js', { headers: { 'If-None-Match': etag } })).status).toBe(304);
    const post = await get(server.port, '/', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it('answers only to loopback host names (no DNS rebinding)', async () => {
    expect((await get(server.port, '/', { headers: { Host: 'evil.example:80' } })).status).toBe(403);
    expect((await get(server.port, '/', { headers: { Host: `localhost:${server.port}` } })).status).toBe(200);
  });

  it('says clearly that the port is taken, as a usage error (exit code 2)', async () => {
    const err = await startServer({ root: dir, reportDir: null, host: '127.0.0.1', port: server.port }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe(`port ${server.port} on 127.0.0.1 is already in use; choose another with --port P, or --port 0 for any free port`);
    const write = process.stderr.write;
    let printed = '';
    process.stderr.write = ((s: string) => ((printed += s), true)) as typeof process.stderr.write;
    try {
      expect(reportError(err, false)).toBe(2);
    } finally {
      process.stderr.write = write;
    }
    expect(printed).toBe(`gradscope: port ${server.port} on 127.0.0.1 is already in use; choose another with --port P, or --port 0 for any free port\n`);
  });
});
