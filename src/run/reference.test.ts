// docs/settings.md is the settings table rendered: it must be up to date, and
// every setting must appear in it under its name and its flag.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { settingsReference } from './reference.js';
import { flagOf, SETTINGS } from './settings.js';

describe('docs/settings.md', () => {
  it('is the settings table rendered (npm run docs:settings rewrites it)', () => {
    const doc = readFileSync(new URL('../../docs/settings.md', import.meta.url), 'utf8');
    expect(doc).toBe(settingsReference());
  });

  it('lists every setting with its flag', () => {
    const doc = settingsReference();
    for (const s of SETTINGS) expect(doc, s.name).toContain(`| \`${s.name}\` | \`${flagOf(s.name)}\` |`);
  });
});
