import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { XZ_FOOTER_SIZE, parseXzFooter, parseXzIndex, parseXzRobotList } from '../../../../src-main/flash/source/xz-index.js';
import { imageBytes } from './source-fixtures.js';

describe('parseXzRobotList', () => {
  it('takes the uncompressed size from the totals line', () => {
    const stdout = 'name\t/tmp/a.xz\nfile\t1\t3\t924588\t3145728\t0.294\tCRC64\t0\ntotals\t1\t3\t924588\t3145728\t0.294\tCRC64\t0\t1\n';
    expect(parseXzRobotList(stdout)).toBe(3145728);
    expect(parseXzRobotList('')).toBeUndefined();
  });
});

describe('xz index', () => {
  it('reads the footer and index of a multi-block file', async () => {
    const raw = imageBytes(2_500_000);
    const file = (await execa('xz', ['-T2', '--block-size=1MiB', '-c'], { input: raw, encoding: 'buffer' })).stdout;
    const footer = parseXzFooter(file.subarray(file.length - XZ_FOOTER_SIZE));
    const index = parseXzIndex(file.subarray(file.length - XZ_FOOTER_SIZE - footer.indexSize, file.length - XZ_FOOTER_SIZE));
    expect(index).toMatchObject({ blockCount: 3, uncompressedSize: raw.length });
    expect(12 + index.blocksSize + footer.indexSize + 12).toBe(file.length);
  });

  it('refuses a missing footer, a damaged footer and a damaged index', async () => {
    const file = Buffer.from((await execa('xz', ['-c'], { input: imageBytes(10_000), encoding: 'buffer' })).stdout);
    expect(() => parseXzFooter(file.subarray(file.length - 13, file.length - 1))).toThrow('no stream footer');
    const footerBytes = Buffer.from(file.subarray(file.length - 12));
    footerBytes[5] = footerBytes[5]! ^ 1;
    expect(() => parseXzFooter(footerBytes)).toThrow('the stream footer is damaged');
    const footer = parseXzFooter(file.subarray(file.length - 12));
    const indexBytes = Buffer.from(file.subarray(file.length - 12 - footer.indexSize, file.length - 12));
    indexBytes[2] = indexBytes[2]! ^ 1;
    expect(() => parseXzIndex(indexBytes)).toThrow('the index is damaged');
  });
});
