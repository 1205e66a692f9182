import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parseBlockHeader, parseFrameHeader, frameHeaderSize } from '../../../../src-main/flash/source/zstd-frames.js';
import { ZstdSplitter, type ZstdPiece } from '../../../../src-main/flash/source/zstd-splitter.js';
import { decodeZstdJs } from '../../../../src-main/flash/source/zstd-js-decoder.js';
import { drain, imageBytes, sha256, tempDir } from './source-fixtures.js';

const MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

describe('parseFrameHeader', () => {
  it('reads a window descriptor, a 4-byte content size and the checksum flag', () => {
    // FHD 0x84: size field 4 bytes, checksum; window 0x58 = 2^21 (2 MiB).
    const header = parseFrameHeader(Buffer.from([...MAGIC, 0x84, 0x58, 0x00, 0x00, 0x30, 0x00]));
    expect(header).toEqual({ kind: 'frame', headerSize: 10, contentSize: 3 * 1024 * 1024, hasChecksum: true, windowSize: 2 * 1024 * 1024, dictionaryId: 0 });
  });

  it('single segment: the content size (1 byte) is the window; 2-byte sizes count from 256', () => {
    expect(parseFrameHeader(Buffer.from([...MAGIC, 0x20, 0x05]))).toMatchObject({ headerSize: 6, contentSize: 5, windowSize: 5, hasChecksum: false });
    expect(parseFrameHeader(Buffer.from([...MAGIC, 0x60, 0x00, 0x01]))).toMatchObject({ headerSize: 7, contentSize: 512 });
  });

  it('no declared size', () => {
    const header = parseFrameHeader(Buffer.from([...MAGIC, 0x04, 0x50]));
    expect(header).toMatchObject({ headerSize: 6, windowSize: 1024 * 1024 });
    expect(header).not.toHaveProperty('contentSize');
  });

  it('skippable frames', () => {
    expect(parseFrameHeader(Buffer.from([0x53, 0x2a, 0x4d, 0x18, 0x10, 0, 0, 0]))).toEqual({ kind: 'skippable', frameSize: 24 });
    expect(frameHeaderSize(Buffer.from([0x53, 0x2a, 0x4d, 0x18, 0x10]))).toBe(8);
  });

  it('refuses what is not a frame', () => {
    expect(() => parseFrameHeader(Buffer.from([0, 1, 2, 3, 4, 5]))).toThrow('not a zstd frame (unknown magic number)');
    expect(() => parseFrameHeader(Buffer.from([...MAGIC, 0x08, 0x58]))).toThrow('reserved bit');
    expect(() => parseFrameHeader(Buffer.from([...MAGIC, 0x84, 0x58, 0x00]))).toThrow('unexpected end of input');
  });

  it('block headers: RLE blocks store one byte; type 3 is invalid', () => {
    const block = (last: number, type: number, size: number): Buffer => {
      const value = last | (type << 1) | (size << 3);
      return Buffer.from([value & 0xff, (value >> 8) & 0xff, value >> 16]);
    };
    expect(parseBlockHeader(block(1, 0, 100))).toEqual({ last: true, bodySize: 100 });
    expect(parseBlockHeader(block(0, 2, 131072))).toEqual({ last: false, bodySize: 131072 });
    expect(parseBlockHeader(block(0, 1, 1000))).toEqual({ last: false, bodySize: 1 });
    expect(() => parseBlockHeader(block(0, 3, 0))).toThrow('invalid block type');
  });
});

/** Two frames (one with, one without a checksum) around a skippable frame, as one file. */
async function multiFrame(): Promise<{ file: Buffer; raw: Buffer }> {
  const a = imageBytes(300_000, 1);
  const b = imageBytes(200_000, 2);
  const one = (await execa('zstd', ['-q', '-c', '--check'], { input: a, encoding: 'buffer' })).stdout;
  const two = (await execa('zstd', ['-q', '-c', '--no-check', '-19'], { input: b, encoding: 'buffer' })).stdout;
  const skippable = Buffer.from([0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 9, 9, 9]);
  return { file: Buffer.concat([one, skippable, two]), raw: Buffer.concat([a, b]) };
}

function chunks(bytes: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) out.push(bytes.subarray(at, at + size));
  return out;
}

describe('ZstdSplitter', () => {
  it.each([1, 7, 4096, 1 << 30])('cuts the stream into frames whatever the chunking (%i-byte chunks)', async (size) => {
    const { file } = await multiFrame();
    const splitter = new ZstdSplitter();
    const pieces: ZstdPiece[] = [];
    for (const chunk of chunks(file, size)) pieces.push(...splitter.split(chunk));
    splitter.end();
    const starts = pieces.filter((p) => p.kind === 'frame-start');
    const ends = pieces.filter((p) => p.kind === 'frame-end');
    expect(starts.map((p) => p.header.hasChecksum)).toEqual([true, false]);
    expect(ends.map((p) => p.checksum !== undefined)).toEqual([true, false]);
    // Every byte but the skippable frame's 11 goes to the decoder, in order.
    expect(pieces.reduce((n, p) => n + p.bytes.length, 0)).toBe(file.length - 11);
  });

  it('complains when the input stops inside a frame', async () => {
    const { file } = await multiFrame();
    const splitter = new ZstdSplitter();
    expect([...splitter.split(file.subarray(0, file.length - 5))].length).toBeGreaterThan(0);
    expect(() => splitter.end()).toThrow('unexpected end of input');
  });
});

describe('decodeZstdJs', () => {
  async function* source(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
    for (const chunk of chunks(bytes, size)) yield chunk;
  }

  it('decodes frame after frame, verifying each checksum, from odd chunk sizes', async () => {
    const { file, raw } = await multiFrame();
    expect(await drain(decodeZstdJs('x.zst', source(file, 1000), 65536))).toEqual({ size: raw.length, sha256: sha256(raw) });
  });

  it('keeps memory flat on long zero runs: no piece decodes to more than a block', async () => {
    const zeros = Buffer.alloc(64 * 1024 * 1024);
    const file = Buffer.from((await execa('zstd', ['-q', '-c'], { input: zeros, encoding: 'buffer', maxBuffer: 1e9 })).stdout);
    expect(file.length).toBeLessThan(64 * 1024);
    let largest = 0;
    let total = 0;
    for await (const chunk of decodeZstdJs('zeros.zst', source(file, file.length), 65536)) {
      largest = Math.max(largest, (chunk as Buffer).length);
      total += (chunk as Buffer).length;
    }
    expect(total).toBe(zeros.length);
    expect(largest).toBeLessThanOrEqual(128 * 1024);
  });

  it('refuses a window past what fzstd can follow, asking for zstd', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      // --long=27: a 128 MiB window declared in the header (the data needs not be that large).
      const file = Buffer.from((await execa('zstd', ['-q', '-c', '--long=27', '--no-content-size'], { input: imageBytes(1 << 20), encoding: 'buffer' })).stdout);
      await writeFile(join(dir, 'long.zst'), file);
      await expect(drain(decodeZstdJs(join(dir, 'long.zst'), source(file, 4096), 65536))).rejects.toMatchObject({
        code: 'source-invalid',
        hint: 'Install zstd (apt install zstd) and try again',
      });
    } finally {
      await cleanup();
    }
  });
});
