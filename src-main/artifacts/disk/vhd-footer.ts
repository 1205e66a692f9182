// The fixed VHD footer Azure wants after the raw disk (Microsoft's VHD specification 1.0): the disk
// data as it is, its size rounded up to whole MiB, then these 512 bytes. Pure.
//
// Readers disagree on a VHD's size: Azure and Hyper-V take the footer's current size; Virtual PC,
// and qemu for most creators, take the CHS geometry, which the spec's algorithm rounds down (a
// 906 MiB disk reads as 949,616,640 bytes, and `qemu-img convert` then cuts off the backup GPT).
// qemu's vpc driver reads the current size when the creator application is "qem2" (what
// `qemu-img convert -O vpc -o subformat=fixed,force_size` writes: Azure's documented recipe),
// "win " (Hyper-V), "d2v " (Disk2vhd), "tap\0" (XenServer) or "CTXS" (XenConverter), or when the
// geometry is the largest there is. So the footer says "qem2", with the spec's geometry: every
// reader then sees the whole disk.
import { randomBytes } from 'node:crypto';

export const VHD_FOOTER_BYTES = 512;
/** The creator application qemu-img writes with force_size; qemu then reads the current size. */
export const VHD_CREATOR = 'qem2';
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
  f.write(VHD_CREATOR, 28, 'ascii'); // creator application: one whose readers trust the current size
  f.writeUInt32BE(0x00050003, 32); // creator version, as qemu-img writes it (Virtual PC 2007's)
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
