/**
 * The folders of src/ import one way: each folder only from the folders
 * above it in docs/architecture.md's list (errors.ts from anywhere; cli and
 * web, the two front ends, from anything but each other). The test reads
 * the list from the document, so the document and the code cannot drift.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = dirname(fileURLToPath(import.meta.url));

/** The folder order as docs/architecture.md lists it (its first code block). */
function documentedOrder(): string[] {
  const doc = readFileSync(join(SRC, '..', 'docs', 'architecture.md'), 'utf8');
  const block = doc.split('```')[1];
  return block
    .split('\n')
    .map((l) => /^([a-z0-9]+(?: \| [a-z0-9]+)?)\s{2,}/.exec(l)?.[1])
    .filter((x): x is string => x !== undefined);
}

/** Every non-test source file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.tsx?$/.test(f) && !/\.test\.tsx?$|test-helper|\.d\.ts$/.test(f) ? [p] : [];
  });
}

/** The top-level folder (or file stem) of src/ a path lies in. */
function topOf(path: string): string {
  return relative(SRC, path).split(sep)[0].replace(/\.(js|ts|tsx)$/, '');
}

describe('architecture', () => {
  it('the document lists every folder of src/', () => {
    const listed = documentedOrder().flatMap((x) => x.split(' | '));
    const folders = readdirSync(SRC).filter((f) => statSync(join(SRC, f)).isDirectory());
    expect(folders.filter((f) => !listed.includes(f)), 'folders missing from docs/architecture.md').toEqual([]);
    expect(listed.filter((f) => !folders.includes(f)), 'listed folders that do not exist').toEqual([]);
  });

  it('no folder imports from a folder below it in the list', () => {
    const rank = new Map<string, number>();
    documentedOrder().forEach((entry, i) => entry.split(' | ').forEach((f) => rank.set(f, i)));
    const wrong: string[] = [];
    for (const file of sources(SRC)) {
      const from = topOf(file);
      const r = rank.get(from);
      if (r === undefined) continue; // errors.ts, index.ts: beside the list
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)) {
        const to = topOf(normalize(join(dirname(file), m[1])));
        const t = rank.get(to);
        if (to === from || t === undefined) continue;
        if (t >= r) wrong.push(`${relative(SRC, file)} imports ${m[1]} (${to} is not above ${from})`);
      }
    }
    expect(wrong, wrong.join('\n')).toEqual([]);
  });
});
