/**
 * The browser's digits are the CLI's digits: the byte file built from the
 * mnist package decodes to exactly the arrays `digitsFromRaw` is given in
 * Node, so a playground run on the digits sees the same Dataset.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { digitsFromRaw } from '../../data/digits.js';
import { digitsDir, loadDigits } from '../../data/node.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeDigits, encodeDigits, isGzip } from './digits-codec.js';

describe('digits codec', () => {
  const raw = Array.from({ length: 10 }, (_, d) => (JSON.parse(readFileSync(join(digitsDir(), `${d}.json`), 'utf8')) as { data: number[] }).data);
  const bytes = encodeDigits(raw);

  it('decodes to the exact pixel values of the mnist package', () => {
    const back = decodeDigits(bytes);
    expect(back.map((a) => a.length)).toEqual(raw.map((a) => a.length));
    for (let c = 0; c < 10; c++) {
      let same = true;
      for (let i = 0; i < raw[c].length && same; i++) same = back[c][i] === raw[c][i];
      expect(same, `class ${c}`).toBe(true);
    }
  });

  it('gives the same Dataset as loadDigits, bit for bit', () => {
    const web = digitsFromRaw(decodeDigits(bytes));
    const cli = loadDigits();
    expect(web.n).toBe(10000);
    // Buffer.equals, not toEqual: a deep comparison of 31 MB element by element takes minutes
    expect(Buffer.from(web.labels.buffer).equals(Buffer.from(cli.labels.buffer))).toBe(true);
    expect(Buffer.from(web.x.buffer).equals(Buffer.from(cli.x.buffer))).toBe(true);
  });

  it('is one byte per pixel and about 1.6 MB gzipped', () => {
    expect(bytes.length).toBe(4 + 40 + 2048 + 10000 * 784);
    const gz = gzipSync(bytes, { level: 6 });
    expect(isGzip(gz)).toBe(true);
    expect(isGzip(bytes)).toBe(false);
    expect(gz.length).toBeLessThan(2_000_000);
  });

  it('rejects a file that is not a digits file or is truncated', () => {
    expect(() => decodeDigits(new Uint8Array(100))).toThrow(/not a digits file/);
    expect(() => decodeDigits(bytes.subarray(0, 5000))).toThrow(/truncated/);
  });
});
