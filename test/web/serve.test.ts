// `gradscope serve`'s HTTP server, over plain Node requests on loopback: it serves the built lab and
// the report folder with the right types and cache headers, and nothing else — no path traversal,
// encoded or not, no symlinks out, no foreign Host — and says clearly when the port is taken.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safeSegments, startServer, type RunningServer } from '../../src/cli/commands/serve.js';
import { reportError } from '../../src/cli/main.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request with the path sent as is (no normalisation by a URL parser). */
function get(port: number, path: string, o: { method?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: o.method ?? 'GET', headers: o.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const SECRET = 'secret-outside-the-served-folders';

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
    writeFileSync(join(web, 'assets', 'KaTeX_Main-Regular-x.woff2'), 'wOF2');
    writeFileSync(join(web, 'data', 'digits.bin'), Buffer.from([0x1f, 0x8b, 0, 0]));
    writeFileSync(join(web, '.env'), SECRET);
    symlinkSync(join(dir, 'secret.txt'), join(web, 'link.txt'));
    writeFileSync(join(report, 'results.json'), '{"format":"gradscope-study/1"}');
    writeFileSync(join(report, 'index.html'), '<!doctype html><title>report</title>');
    writeFileSync(join(report, 'summary.md'), '# summary');
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
