/**
 * The reader's CSV: rows of two numbers and a label, with or without a
 * header; labels as class numbers or as words; and every bad file refused
 * in one sentence naming the file, the line, the field and the value.
 */
import { describe, expect, it } from 'vitest';
import { csvData } from './csv-data.js';

const rows = (text: string): string[][] => text.trim().split('\n').map((l) => l.split(','));
const blob = (n: number, label: (i: number) => string): string => Array.from({ length: n }, (_, i) => `${i / 10},${-i / 20},${label(i)}`).join('\n');

describe('CSV data', () => {
  it('reads two features and integer labels, a header or not', () => {
    for (const text of [blob(12, (i) => String(i % 3)), `a,b,class\n${blob(12, (i) => String(i % 3))}`]) {
      const r = csvData('d.csv', rows(text));
      if (!r.ok) throw new Error(r.error);
      expect(r.data.classes).toBe(3);
      expect(Array.from(r.data.labels)).toEqual(Array.from({ length: 12 }, (_, i) => i % 3));
      expect(r.data.x[2 * 5]).toBeCloseTo(0.5, 6);
      expect(r.data.x[2 * 5 + 1]).toBeCloseTo(-0.25, 6);
    }
  });

  it('numbers word labels in sorted order, and keeps integer labels as numbered (a class may be absent)', () => {
    const words = csvData('w.csv', rows(blob(10, (i) => (i % 2 ? 'cat' : 'bird'))));
    expect(words.ok && words.labelNames).toEqual(['bird', 'cat']);
    expect(words.ok && Array.from(words.data.labels.slice(0, 4))).toEqual([0, 1, 0, 1]);
    const gap = csvData('g.csv', rows(blob(10, (i) => (i % 2 ? '3' : '0'))));
    expect(gap.ok && gap.data.classes).toBe(4);
  });

  const bad: [string, string, string][] = [
    ['empty', '', 'e.csv is empty: expected rows of two numeric features and a label, e.g. "0.5,-1.2,1"'],
    ['too few rows', blob(5, (i) => String(i % 2)), 'f.csv has 5 data rows; at least 10 are needed to train and test'],
    ['a missing field', `${blob(10, (i) => String(i % 2))}\n1,2`, 'f.csv, line 11: expected 3 fields (two features and a label), got 2: "1,2"'],
    ['a word for a number', `x,y,label\n${blob(10, (i) => String(i % 2))}\n1,NaN,1`, "f.csv, line 12, field 'y': \"NaN\" is not a finite number"],
    ['an infinite value', `${blob(10, (i) => String(i % 2))}\nInfinity,1,1`, "f.csv, line 11, field 'x1': \"Infinity\" is not a finite number"],
    ['an empty label', `${blob(10, (i) => String(i % 2))}\n1,1, `, "f.csv, line 11, field 'label': the label is empty"],
    ['one class', blob(10, () => '1'), 'f.csv: every row has the label "1"; a classification needs at least 2 classes'],
    ['too many classes', blob(20, (i) => `c${i % 9}`), "f.csv: field 'label' has 9 different labels; the playground draws at most 8 classes"],
    ['a class number too large', blob(10, (i) => (i === 3 ? '8' : String(i % 2))), "f.csv, line 4, field 'label': label 8 is not below 8; number the classes 0 to 7"],
  ];
  for (const [what, text, sentence] of bad) {
    it(`refuses ${what} in one sentence`, () => {
      const file = what === 'empty' ? 'e.csv' : 'f.csv';
      const r = csvData(file, text === '' ? [] : rows(text));
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toBe(sentence);
    });
  }
});
