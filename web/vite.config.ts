/**
 * Builds the web lab from src/web into dist/web: a static site with relative
 * URLs (base './'), so `gradscope serve` and any static host serve it as is.
 * Two build-time steps keep the page light: every catalogue formula is
 * rendered to HTML by KaTeX here (the browser gets no TeX engine), and the
 * embedded digits are packed from the mnist package into one gzipped byte
 * file (dist/web/data/digits.bin, ~1.6 MB) that the worker fetches only when
 * the digits are chosen. Every text file of the build also gets brotli and
 * gzip copies beside it (FILE.br, FILE.gz), which `gradscope serve` sends to
 * browsers that accept them.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import katex from 'katex';
import { defineConfig, type Plugin } from 'vite';
import { ACTIVATIONS } from '../src/activations/catalogue.ts';
import { encodeDigits } from '../src/web/engine/digits-codec.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..');

/** `virtual:gradscope-formulas`: KaTeX HTML of every entry's formula and derivative. */
function formulas(): Plugin {
  const id = 'virtual:gradscope-formulas';
  return {
    name: 'gradscope-formulas',
    resolveId: (source) => (source === id ? `\0${id}` : null),
    load(source) {
      if (source !== `\0${id}`) return null;
      // HTML only: the page labels each formula with its plain-text form (meta.*.text) for screen readers
      const render = (tex: string): string => katex.renderToString(tex, { displayMode: true, throwOnError: true, output: 'html', strict: 'ignore' });
      const out = Object.fromEntries(ACTIVATIONS.map((d) => [d.name, { formula: render(d.meta.formula.latex), derivative: render(d.meta.derivative.latex) }]));
      return `/** KaTeX HTML of every catalogue formula, rendered at build time. */\nexport const FORMULAS = ${JSON.stringify(out)};\n`;
    },
  };
}

/** The digits as `data/digits.bin`: emitted by the build, served by the dev server. */
function digits(): Plugin {
  let bytes: Buffer | null = null;
  const make = (): Buffer => {
    if (bytes) return bytes;
    const dir = join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
    const raw = Array.from({ length: 10 }, (_, d) => (JSON.parse(readFileSync(join(dir, `${d}.json`), 'utf8')) as { data: number[] }).data);
    bytes = gzipSync(encodeDigits(raw), { level: 6 }); // level 9 saves 2 % for 20× the time
    return bytes;
  };
  return {
    name: 'gradscope-digits',
    configureServer(server) {
      server.middlewares.use('/data/digits.bin', (_req, res) => {
        res.setHeader('Content-Type', 'application/octet-stream');
        res.end(make());
      });
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'data/digits.bin', source: make() });
    },
  };
}

/** KaTeX's stylesheet lists woff2, woff and ttf for every font; every browser the lab supports reads woff2, so ship only those. */
function woff2Only(): Plugin {
  return {
    name: 'gradscope-woff2-only',
    enforce: 'pre',
    transform(code, id) {
      if (!/katex[^/]*\.css$/.test(id)) return null;
      return { code: code.replace(/,\s*url\([^)]*\.woff\) format\("woff"\)/g, '').replace(/,\s*url\([^)]*\.ttf\) format\("truetype"\)/g, ''), map: null };
    },
  };
}

/** A Content-Security-Policy for the built page (static hosts get it too): nothing leaves the origin. */
function csp(): Plugin {
  const policy = ["default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data: blob:", "font-src 'self'", "connect-src 'self'", "worker-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'none'"].join('; ');
  return {
    name: 'gradscope-csp',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: policy }, injectTo: 'head-prepend' }],
  };
}

/** Brotli (quality 11) and gzip (level 9) copies of every script, stylesheet, page and wasm file of the build, when they save a tenth. */
function precompress(): Plugin {
  let outDir = '';
  const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
  return {
    name: 'gradscope-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle() {
      for (const file of walk(outDir).filter((f) => /\.(js|css|html|svg|json|wasm)$/.test(f) && statSync(f).size >= 1024)) {
        const raw = readFileSync(file);
        const br = brotliCompressSync(raw, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: raw.length } });
        const gz = gzipSync(raw, { level: 9 });
        if (br.length < 0.9 * raw.length) writeFileSync(`${file}.br`, br);
        if (gz.length < 0.9 * raw.length) writeFileSync(`${file}.gz`, gz);
      }
    },
  };
}

export default defineConfig({
  root: join(repo, 'src', 'web'),
  base: './',
  publicDir: false,
  plugins: [formulas(), digits(), woff2Only(), csp(), precompress()],
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  worker: { format: 'es' },
  server: { fs: { allow: [repo] } },
  build: {
    outDir: join(repo, 'dist', 'web'),
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 600,
    reportCompressedSize: true,
  },
});
