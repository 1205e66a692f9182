import { describe, expect, it } from 'vitest';
import { VHD_CREATOR, VHD_FOOTER_BYTES, vhdChecksum, vhdFooter, vhdGeometry } from '../../../src-main/artifacts/disk/vhd-footer.js';

const MIB = 1024 * 1024;
/** The example recipe's EFI disk: 906 MiB. */
const EXAMPLE = 906 * MIB;

describe('VHD geometry', () => {
  it("follows the spec's CHS algorithm", () => {
    expect(vhdGeometry(1024 * MIB)).toEqual({ cylinders: 2080, heads: 16, sectorsPerTrack: 63 });
    expect(vhdGeometry(127 * 1024 * MIB)).toEqual({ cylinders: 65278, heads: 16, sectorsPerTrack: 255 });
    expect(vhdGeometry(64 * MIB)).toEqual({ cylinders: 963, heads: 8, sectorsPerTrack: 17 });
  });

  it('rounds down: a reader going by the geometry misses the end of the disk (the backup GPT)', () => {
    const g = vhdGeometry(EXAMPLE);
    expect(g).toEqual({ cylinders: 1840, heads: 16, sectorsPerTrack: 63 });
    expect(g.cylinders * g.heads * g.sectorsPerTrack * 512).toBe(949_616_640);
  });
});

describe('VHD footer', () => {
  const footer = vhdFooter(EXAMPLE, { now: new Date('2026-01-01T00:00:00Z'), uniqueId: Buffer.alloc(16, 7) });

  it('is a fixed-disk footer of the spec, all fields big-endian', () => {
    expect(footer).toHaveLength(VHD_FOOTER_BYTES);
    expect(footer.toString('ascii', 0, 8)).toBe('conectix');
    expect(footer.readUInt32BE(8)).toBe(2); // features: the reserved bit
    expect(footer.readUInt32BE(12)).toBe(0x00010000); // format version 1.0
    expect(footer.readBigUInt64BE(16)).toBe(0xffffffffffffffffn); // no dynamic header
    expect(footer.readUInt32BE(24)).toBe(Date.UTC(2026, 0, 1) / 1000 - Date.UTC(2000, 0, 1) / 1000);
    expect(footer.toString('ascii', 36, 40)).toBe('Wi2k');
    expect(footer.readUInt16BE(56)).toBe(1840);
    expect([footer[58], footer[59]]).toEqual([16, 63]);
    expect(footer.readUInt32BE(60)).toBe(2); // disk type: fixed
    expect(footer.subarray(68, 84)).toEqual(Buffer.alloc(16, 7));
    expect(footer.subarray(84).every((b) => b === 0)).toBe(true); // saved state, reserved
  });

  it('states the whole disk as original and current size (what Azure reads)', () => {
    expect(footer.readBigUInt64BE(40)).toBe(BigInt(EXAMPLE));
    expect(footer.readBigUInt64BE(48)).toBe(BigInt(EXAMPLE));
  });

  it("names a creator whose VHDs qemu reads by the current size, not by the geometry", () => {
    // qemu's block/vpc.c reads the current size for "qem2", "win ", "d2v ", "tap\0", "CTXS"; for
    // "vpc ", "qemu" and any other name it goes by the geometry (949,616,640 bytes here).
    expect(VHD_CREATOR).toBe('qem2');
    expect(footer.toString('ascii', 28, 32)).toBe('qem2');
    expect(footer.readUInt32BE(32)).toBe(0x00050003);
  });

  it('carries a valid checksum, which any changed byte breaks', () => {
    expect(footer.readUInt32BE(64)).toBe(vhdChecksum(footer));
    const changed = Buffer.from(footer);
    changed[100] = 1;
    expect(changed.readUInt32BE(64)).not.toBe(vhdChecksum(changed));
  });

  it('gives every disk its own unique id', () => {
    expect(vhdFooter(EXAMPLE).subarray(68, 84)).not.toEqual(vhdFooter(EXAMPLE).subarray(68, 84));
  });

  it('refuses a size that is not whole MiB (Azure takes only those)', () => {
    expect(() => vhdFooter(EXAMPLE + 512)).toThrow(/whole number of MiB/);
  });
});
