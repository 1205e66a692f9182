// The raw size of an .xz image from its indexes, and with it the proof that the file is complete:
// a truncated download has no footer, a damaged one fails the index CRC. With the system xz we ask
// `xz --robot --list` (it checks every stream and block header); without it we walk the footers
// and indexes ourselves, from the end of the file back to its start.
import { open, type FileHandle } from 'node:fs/promises';
import { runTool } from '../../util/run-tool.js';
import { readAt } from './file-reader.js';
import { corruptSource, summarizeToolStderr } from './source-errors.js';
import type { ToolLookup } from './tool-lookup.js';
import { XZ_FOOTER_SIZE, XZ_HEADER_SIZE, XzFormatError, checkXzHeader, parseXzFooter, parseXzIndex, parseXzRobotList } from './xz-index.js';

/** Larger than any real index (16 bytes a block at most) yet small enough to read whole. */
const MAX_INDEX = 256 * 1024 * 1024;

export async function xzImageSize(path: string, tools: ToolLookup): Promise<number> {
  const xz = await tools('xz');
  return xz !== undefined ? listWithXz(path, xz) : readXzIndexes(path);
}

async function listWithXz(path: string, xz: string): Promise<number> {
  const result = await runTool(xz, ['--robot', '--list', '--', path], { timeoutMs: 60_000, argv0: 'xz' });
  const size = result.exitCode === 0 ? parseXzRobotList(result.stdout) : undefined;
  if (size === undefined) {
    const detail = summarizeToolStderr(result.stderr).replace(`${path}: `, '') || 'its index cannot be read';
    throw corruptSource(path, 'xz', detail);
  }
  return size;
}

/** Streams may be concatenated, with zero padding (a multiple of 4 bytes) between and after. */
export async function readXzIndexes(path: string): Promise<number> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    let end = size;
    let total = 0;
    while (end > 0) {
      end = await skipPadding(handle, end);
      if (end === 0) break;
      if (end < XZ_HEADER_SIZE + XZ_FOOTER_SIZE) throw new XzFormatError('unexpected end of input');
      const footer = parseXzFooter(await readAt(handle, end - XZ_FOOTER_SIZE, XZ_FOOTER_SIZE));
      const indexStart = end - XZ_FOOTER_SIZE - footer.indexSize;
      if (footer.indexSize > MAX_INDEX || indexStart < XZ_HEADER_SIZE) throw new XzFormatError('the stream footer points outside the file');
      const index = parseXzIndex(await readAt(handle, indexStart, footer.indexSize));
      const streamStart = indexStart - index.blocksSize - XZ_HEADER_SIZE;
      if (streamStart < 0) throw new XzFormatError('the index describes more data than the file holds');
      checkXzHeader(await readAt(handle, streamStart, XZ_HEADER_SIZE), footer);
      total += index.uncompressedSize;
      end = streamStart;
    }
    return total;
  } catch (error) {
    if (error instanceof XzFormatError) {
      // A cut file has no footer at its end: say it the way xz does.
      const detail = error.message === 'no stream footer at the end of the file' ? 'Unexpected end of input' : error.message;
      throw corruptSource(path, 'xz index', detail);
    }
    throw error;
  } finally {
    await handle.close();
  }
}

async function skipPadding(handle: FileHandle, end: number): Promise<number> {
  while (end >= 4) {
    const word = await readAt(handle, end - 4, 4);
    if (word.some((b) => b !== 0)) break;
    end -= 4;
  }
  return end;
}
