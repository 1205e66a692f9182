// What a file is, from its first bytes (never from its name: downloads get renamed, and a
// ".img" that is really an xz would otherwise be written to the drive as garbage).
// Pure: the caller reads the bytes.

export type Compression = 'none' | 'gzip' | 'xz' | 'zstd' | 'bzip2' | 'zip';

export type Detection =
  | { readonly kind: 'image'; readonly compression: Compression }
  /** A container or compression we cannot stream: writing it raw would make an unbootable drive. */
  | { readonly kind: 'unsupported'; readonly format: string };

/** How many leading bytes detectCompression wants (tar's "ustar" sits at offset 257). */
export const DETECT_BYTES = 264;

function startsWith(bytes: Uint8Array, magic: ReadonlyArray<number>, at = 0): boolean {
  if (bytes.length < at + magic.length) return false;
  return magic.every((b, i) => bytes[at + i] === b);
}

const ascii = (text: string): ReadonlyArray<number> => [...text].map((c) => c.charCodeAt(0));

const SUPPORTED: ReadonlyArray<{ readonly magic: ReadonlyArray<number>; readonly compression: Compression }> = [
  { magic: [0x1f, 0x8b], compression: 'gzip' },
  { magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], compression: 'xz' },
  { magic: [0x28, 0xb5, 0x2f, 0xfd], compression: 'zstd' },
  // Local file header; an empty archive starts with its end-of-central-directory record.
  { magic: [0x50, 0x4b, 0x03, 0x04], compression: 'zip' },
  { magic: [0x50, 0x4b, 0x05, 0x06], compression: 'zip' },
];

const UNSUPPORTED: ReadonlyArray<{ readonly magic: ReadonlyArray<number>; readonly at?: number; readonly format: string }> = [
  { magic: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], format: 'a 7-Zip archive' },
  { magic: ascii('Rar!\x1a\x07'), format: 'a RAR archive' },
  { magic: [0x04, 0x22, 0x4d, 0x18], format: 'LZ4-compressed' },
  { magic: ascii('LZIP'), format: 'lzip-compressed' },
  { magic: [0x1f, 0x9d], format: 'compressed with Unix compress (.Z)' },
  { magic: ascii('QFI\xfb'), format: 'a qcow2 virtual disk' },
  { magic: ascii('KDMV'), format: 'a VMDK virtual disk' },
  { magic: ascii('vhdxfile'), format: 'a VHDX virtual disk' },
  { magic: ascii('ustar'), at: 257, format: 'a tar archive' },
];

export function detectCompression(head: Uint8Array): Detection {
  for (const s of SUPPORTED) if (startsWith(head, s.magic)) return { kind: 'image', compression: s.compression };
  // A zstd file may open with a skippable frame (pzstd writes one): magic 0x184D2A50..5F.
  if (head.length >= 4 && (head[0]! & 0xf0) === 0x50 && startsWith(head, [0x2a, 0x4d, 0x18], 1)) {
    return { kind: 'image', compression: 'zstd' };
  }
  // "BZh" + block size 1-9.
  if (head.length >= 4 && startsWith(head, ascii('BZh')) && head[3]! >= 0x31 && head[3]! <= 0x39) return { kind: 'image', compression: 'bzip2' };
  for (const u of UNSUPPORTED) if (startsWith(head, u.magic, u.at)) return { kind: 'unsupported', format: u.format };
  return { kind: 'image', compression: 'none' };
}
