// When the CLI colours its output: a terminal gets colours, a pipe or a file
// none (whatever CI variable is set), NO_COLOR and TERM=dumb refuse them,
// FORCE_COLOR asks for them.
import { describe, expect, it } from 'vitest';
import { colourWanted } from './format.js';

describe('colourWanted', () => {
  it('colours a terminal only, whatever CI says', () => {
    expect(colourWanted({}, true)).toBe(true);
    expect(colourWanted({}, false)).toBe(false);
    expect(colourWanted({ CI: '1' }, false)).toBe(false);
    expect(colourWanted({ TERM: 'dumb' }, true)).toBe(false);
    expect(colourWanted({ NO_COLOR: '' }, true)).toBe(false);
    expect(colourWanted({ FORCE_COLOR: '1' }, false)).toBe(true);
    expect(colourWanted({ FORCE_COLOR: '0' }, true)).toBe(true);
    expect(colourWanted({ FORCE_COLOR: '0' }, false)).toBe(false);
    expect(colourWanted({ FORCE_COLOR: '1', NO_COLOR: '1' }, true)).toBe(false);
  });
});
