import { describe, expect, it } from 'vitest';
import { tabulate } from '../../src/cli/tabwriter.js';

describe('tabwriter (minwidth 0, tabwidth 8, padding 1, tabs)', () => {
  it('pads each cell to its column width + 1, rounded up to a tab stop', () => {
    const out = tabulate('Id\tLabel\tDescription\ne96281a6-d1af-4bde-9a0a-97b76e56dc57\tCoreOS\tLinux\n72834a2b-ad86-4d8e-9a4c-bf4fd4c8d1ff\tetcd-test\t\n');
    expect(out).toBe(
      'Id\t\t\t\t\tLabel\t\tDescription\ne96281a6-d1af-4bde-9a0a-97b76e56dc57\tCoreOS\t\tLinux\n72834a2b-ad86-4d8e-9a4c-bf4fd4c8d1ff\tetcd-test\t\n',
    );
  });

  it('ends an alignment block at a line without tabs', () => {
    const out = tabulate('Label\tApp\n\nRenamed-group\te96281a6\n');
    expect(out).toBe('Label\tApp\n\nRenamed-group\te96281a6\n');
  });

  it('aligns a column only over consecutive lines that have it', () => {
    const out = tabulate('a\tb\tc\nlonger-cell\td\naa\n');
    expect(out).toBe('a\t\tb\tc\nlonger-cell\td\naa\n');
  });

  it('counts runes, not UTF-16 units or bytes', () => {
    expect(tabulate('héllo😀\tx\nab\ty\n')).toBe('héllo😀\tx\nab\ty\n');
  });

  it('keeps text without a final newline', () => {
    expect(tabulate('a\tb\nc')).toBe('a\tb\nc');
  });
});
