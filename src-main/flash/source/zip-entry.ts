// Images shipped in .zip archives. yauzl (well kept, no native code, ZIP64 for images past
// 4 GiB) reads the central directory, so the entry and its size are known before writing; the
// entry is then streamed (stored or deflated) straight from the archive. yauzl checks the entry's
// size but not its CRC-32, so we do, as the bytes pass.
import { Transform, pipeline, type TransformCallback } from 'node:stream';
import { crc32 } from 'node:zlib';
import type { Entry, ZipFile } from 'yauzl';
import { invalidSource } from './source-errors.js';

const IMAGE_EXTENSIONS = ['.img', '.raw', '.iso', '.bin'];

export type ZipChoice =
  | { readonly kind: 'chosen'; readonly name: string }
  | { readonly kind: 'none'; readonly files: ReadonlyArray<string> }
  | { readonly kind: 'ambiguous'; readonly images: ReadonlyArray<string> };

/** macOS's Archive Utility adds resource forks and Finder files that are never the image. */
function isMetadata(name: string): boolean {
  const base = name.slice(name.lastIndexOf('/') + 1);
  return name.startsWith('__MACOSX/') || base.startsWith('._') || base === '.DS_Store';
}

/**
 * The entry to write: the one image-like file (.img .raw .iso .bin), else the archive's only file.
 * Two images or more: we will not guess which one the user meant.
 */
export function chooseZipEntry(names: ReadonlyArray<string>): ZipChoice {
  const files = names.filter((name) => !name.endsWith('/') && !isMetadata(name));
  const images = files.filter((name) => IMAGE_EXTENSIONS.some((ext) => name.toLowerCase().endsWith(ext)));
  if (images.length === 1) return { kind: 'chosen', name: images[0]! };
  if (images.length > 1) return { kind: 'ambiguous', images: [...images].sort() };
  if (files.length === 1) return { kind: 'chosen', name: files[0]! };
  return { kind: 'none', files };
}

const METHOD_NAMES: Readonly<Record<number, string>> = { 9: 'Deflate64', 12: 'bzip2', 14: 'LZMA', 93: 'zstd', 95: 'xz', 98: 'PPMd' };

const DOWNLOAD_AGAIN = 'The download may be incomplete or damaged: download it again';

async function openZip(path: string): Promise<ZipFile> {
  try {
    // Loaded when a zip is opened. yauzl is CommonJS: bundled (the flash helper) its functions sit on `default`.
    const yauzl = await import('yauzl');
    const openPromise = yauzl.openPromise ?? (yauzl as unknown as { default: typeof yauzl }).default.openPromise;
    return await openPromise(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true });
  } catch (error) {
    throw invalidSource(path, `is not a readable zip archive: its central directory is missing or damaged (${(error as Error).message})`, DOWNLOAD_AGAIN, error);
  }
}

async function findEntry(path: string, zip: ZipFile): Promise<Entry> {
  const entries: Entry[] = [];
  try {
    for await (const entry of zip.eachEntry()) entries.push(entry);
  } catch (error) {
    throw invalidSource(path, `has a damaged central directory (${(error as Error).message})`, DOWNLOAD_AGAIN, error);
  }
  const choice = chooseZipEntry(entries.map((e) => e.fileName));
  if (choice.kind === 'ambiguous') {
    throw invalidSource(path, `holds ${choice.images.length} images (${choice.images.join(', ')}) and Kairos Factory will not guess which one to write`, 'Extract the image you want (unzip) and flash that file');
  }
  if (choice.kind === 'none') {
    const what = choice.files.length === 0 ? 'holds no files' : `holds no disk image (.img, .raw, .iso or .bin) among its ${choice.files.length} files`;
    throw invalidSource(path, what, 'Choose the image itself, or an archive that contains one');
  }
  const entry = entries.find((e) => e.fileName === choice.name)!;
  if (entry.isEncrypted()) {
    throw invalidSource(path, `holds ${entry.fileName} encrypted`, 'Extract it with its password (unzip) and flash the extracted file');
  }
  if (!entry.canDecodeFileData()) {
    const method = METHOD_NAMES[entry.compressionMethod] ?? `method ${entry.compressionMethod}`;
    throw invalidSource(path, `holds ${entry.fileName} compressed with ${method}, which cannot be streamed from a zip (only stored and deflate can)`, 'Extract it (unzip or 7z) and flash the extracted file');
  }
  return entry;
}

export async function inspectZip(path: string): Promise<{ entryName: string; imageSize: number }> {
  const zip = await openZip(path);
  try {
    const entry = await findEntry(path, zip);
    return { entryName: entry.fileName, imageSize: entry.uncompressedSize };
  } finally {
    zip.close();
  }
}

class Crc32Check extends Transform {
  private crc = 0;

  constructor(
    private readonly expected: number,
    private readonly entryName: string,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.crc = crc32(chunk, this.crc);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    callback(this.crc === this.expected ? null : new Error(`CRC-32 mismatch in ${this.entryName}`));
  }
}

export interface ZipEntryStream {
  readonly output: Transform;
  readonly stop: () => void;
}

/** The chosen entry's bytes, CRC-checked; `entryName` from inspectZip. */
export async function openZipEntry(path: string, entryName: string): Promise<ZipEntryStream> {
  const zip = await openZip(path);
  try {
    const entry = await findEntry(path, zip);
    if (entry.fileName !== entryName) throw invalidSource(path, `changed since it was inspected (${entryName} is no longer its image)`, 'Choose the image again');
    const raw = await zip.openReadStreamPromise(entry);
    const output = new Crc32Check(entry.crc32, entry.fileName);
    // Errors reach `output` (pipeline destroys it with them); the callback has nothing to add.
    pipeline(raw, output, () => {});
    output.once('close', () => zip.close());
    return { output, stop: () => output.destroy() };
  } catch (error) {
    zip.close();
    throw error;
  }
}
