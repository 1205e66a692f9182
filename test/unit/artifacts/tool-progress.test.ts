import { describe, expect, it } from 'vitest';
import { mksquashfsPercent, xorrisoPercent } from '../../../src-main/artifacts/tool-progress.js';

describe('tool progress', () => {
  it('reads mksquashfs 4.5 progress bars', () => {
    expect(mksquashfsPercent('[=============================================================|] 6518/6518 100%')).toBe(100);
    expect(mksquashfsPercent('[======\\                                 ]  1234/6518  18%')).toBe(18);
    expect(mksquashfsPercent('Parallel mksquashfs: Using 2 processors')).toBeUndefined();
  });

  it('reads xorriso pacifier lines of both generations', () => {
    expect(xorrisoPercent('xorriso : UPDATE : Writing:      16384s   10.7%   fifo 100%  buf  50%')).toBe(10.7);
    expect(xorrisoPercent('xorriso : UPDATE :  45.67% done, estimate finish Sun Nov 22 22:10:01 2026')).toBe(45.67);
    expect(xorrisoPercent('xorriso : UPDATE :       1 files added in 1 seconds')).toBeUndefined();
  });
});
