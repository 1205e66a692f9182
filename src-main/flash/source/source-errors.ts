// The errors of the source layer: each says which file, what is wrong with it and what to do.
// Decoders (system tools and JS libraries) word their failures differently; the pure helpers
// here turn them into one short phrase for the message.
import { AppError } from '../../../src-shared/errors/app-error.js';

const DOWNLOAD_AGAIN = 'The file is damaged or was not downloaded completely: download it again (and compare its checksum when one is published)';

export function corruptSource(path: string, decoder: string, detail: string, cause?: unknown): AppError {
  return new AppError('source-invalid', `${path} is truncated or corrupt (${decoder}: ${detail})`, {
    hint: DOWNLOAD_AGAIN,
    ...(cause !== undefined ? { cause } : {}),
  });
}

export function invalidSource(path: string, what: string, hint: string, cause?: unknown): AppError {
  return new AppError('source-invalid', `${path} ${what}`, { hint, ...(cause !== undefined ? { cause } : {}) });
}

/** A failed open/stat/read of the file itself (not of its contents). */
export function unreadableSource(path: string, error: unknown): AppError {
  const code = (error as { code?: unknown }).code;
  const options = { cause: error };
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new AppError('source-invalid', `${path} does not exist`, { ...options, hint: 'Check the path of the image' });
    case 'EACCES':
    case 'EPERM':
      return new AppError('source-invalid', `${path} cannot be read: permission denied`, {
        ...options,
        hint: 'Give your user read access to the file, or copy it somewhere readable',
      });
    case 'EISDIR':
      return new AppError('source-invalid', `${path} is a directory, not an image file`, { ...options, hint: 'Choose the image file inside it' });
    default:
      return new AppError('source-invalid', `${path} cannot be read: ${(error as Error).message ?? String(error)}`, {
        ...options,
        hint: 'Check that the disk holding the image is still attached and readable',
      });
  }
}

/** An error from the file system (it carries the failed system call), not from a decoder. */
export function isFileSystemError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && typeof (error as { syscall?: unknown }).syscall === 'string';
}

/**
 * The one line that matters in a decompressor's stderr, without the program's name and the
 * "(stdin)" it reads from. "xz: (stdin): Unexpected end of input" -> "Unexpected end of input";
 * bzip2's multi-line essays -> their first sentence.
 */
export function summarizeToolStderr(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) =>
      line
        .trim()
        .replace(/^(?:\/[^\s:]*\/)?[\w.-]+: /, '')
        .replace(/^(\(stdin\)|stdin|\/\*stdin\*\\)\s*:\s*/, '')
        .replace(/[;.]\s*$/, '')
        .trim(),
    )
    .filter((line) => line !== '');
  return lines[0] ?? '';
}

// xz-embedded's return codes, as xz-decompress reports them ("... failed with error code 8").
const XZ_EMBEDDED_CODES: Readonly<Record<string, string>> = {
  '2': 'unsupported integrity check',
  '3': 'out of memory',
  '4': 'the dictionary is larger than the built-in decoder allows',
  '5': 'not in xz format',
  '6': 'unsupported xz options',
  '7': 'compressed data is corrupt',
  '8': 'unexpected end of input',
};

/** A JS decoder's failure in words a user can read. */
export function describeDecoderError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const xzCode = /error code (\d+)/.exec(error.message)?.[1];
  if (xzCode !== undefined) return XZ_EMBEDDED_CODES[xzCode] ?? error.message;
  // unbzip2-stream and other pure-JS decoders walk off the end of their buffers on cut input.
  if (error instanceof TypeError || error instanceof RangeError) return 'the data ends early or is damaged';
  return error.message.replace(/^Error in bzip2: /, '');
}
