import { readFileSync } from 'node:fs';
import { it } from 'vitest';
import { englishIn, pageText } from './english.test-helper.js';
it('scan', () => {
  const html = readFileSync('/tmp/zh/index.html', 'utf8');
  const f = englishIn(pageText(html));
  const seen = new Set<string>();
  for (const x of f) { if (seen.has(x.english)) continue; seen.add(x.english); console.log(JSON.stringify(x.english), '|', x.context); }
  console.log('TOTAL', f.length, 'unique', seen.size);
  const md = readFileSync('/tmp/zh/summary.md', 'utf8');
  const g = englishIn(md);
  for (const x of g.slice(0, 40)) console.log('MD', JSON.stringify(x.english), '|', x.context);
  console.log('MD TOTAL', g.length);
});
