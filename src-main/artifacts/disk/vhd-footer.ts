// The fixed VHD footer Azure wants after the raw disk (Microsoft's VHD specification 1.0): the disk
// data as it is, its size rounded up to whole MiB, then these 512 bytes. Pure.
import { randomBytes } from 'node:crypto';

export const VHD_FOOTER_BYTES = 512;
const VHD_EPOCH = Date.UTC(2000, 0, 1) / 1000;

/** CHS geometry from the spec's algorithm (Appendix, "CHS calculation"). */
export function vhdGeometry(size: number): { readonly cylinders: number; readonly heads: number; readonly sectorsPerTrack: number } {
  let total = Math.floor(size / 512);
  if (total > 65535 * 16 * 255) total = 65535 * 16 * 255;
  let spt: number;
  let heads: number;
  let cth: number;
  if (total >= 65535 * 16 * 63) {
    spt = 255;
    heads = 16;
    cth = Math.floor(total / spt);
  } else {
    spt = 17;
    cth = Math.floor(total / spt);
    heads = Math.max(4, Math.floor((cth + 1023) / 1024));
    if (cth >= heads * 1024 || heads > 16) {
      spt = 31;
      heads = 16;
      cth = Math.floor(total / spt);
    }
    if (cth >= heads * 1024) {
      spt = 63;
      heads = 16;
      cth = Math.floor(total / spt);
    }
  }
  return { cylinders: Math.floor(cth / heads), heads, sectorsPerTrack: spt };
}

/** One's complement of the byte sum, with the checksum field counted as zero. */
export function vhdChecksum(footer: Buffer): number {
  let sum = 0;
  for (let i = 0; i < VHD_FOOTER_BYTES; i++) if (i < 64 || i >= 68) sum += footer[i]!;
  return ~sum >>> 0;
}

export function vhdFooter(size: number, options: { readonly now?: Date; readonly uniqueId?: Buffer } = {}): Buffer {
  if (size % (1024 * 1024) !== 0) throw new Error('a fixed VHD for Azure holds a whole number of MiB');
  const f = Buffer.alloc(VHD_FOOTER_BYTES);
  f.write('conectix', 0, 'ascii');
  f.writeUInt32BE(0x00000002, 8); // features: reserved bit, always set
  f.writeUInt32BE(0x00010000, 12); // format version 1.0
  f.writeBigUInt64BE(0xffffffffffffffffn, 16); // data offset: none for a fixed disk
  f.writeUInt32BE(Math.floor((options.now ?? new Date()).getTime() / 1000 - VHD_EPOCH) >>> 0, 24);
  f.write('kfac', 28, 'ascii'); // creator application
  f.writeUInt32BE(0x00010000, 32); // creator version
  f.write('Wi2k', 36, 'ascii'); // creator host OS, as qemu-img writes it
  f.writeBigUInt64BE(BigInt(size), 40); // original size
  f.writeBigUInt64BE(BigInt(size), 48); // current size
  const g = vhdGeometry(size);
  f.writeUInt16BE(g.cylinders, 56);
  f.writeUInt8(g.heads, 58);
  f.writeUInt8(g.sectorsPerTrack, 59);
  f.writeUInt32BE(2, 60); // disk type: fixed
  (options.uniqueId ?? randomBytes(16)).copy(f, 68, 0, 16);
  f.writeUInt8(0, 84); // saved state
  f.writeUInt32BE(vhdChecksum(f), 64);
  return f;
}
