import { describe, expect, it } from 'vitest';
import { corruptSource, describeDecoderError, summarizeToolStderr, unreadableSource } from '../../../../src-main/flash/source/source-errors.js';

describe('summarizeToolStderr', () => {
  it.each([
    ['xz: (stdin): Unexpected end of input\n', 'Unexpected end of input'],
    ['/usr/bin/xz: (stdin): Compressed data is corrupt\n', 'Compressed data is corrupt'],
    ['xz: /tmp/a.xz: File format not recognized\n', '/tmp/a.xz: File format not recognized'],
    ['/*stdin*\\ : Read error (39) : premature end \n', 'Read error (39) : premature end'],
    ['zstd: /*stdin*\\: unsupported format \n', 'unsupported format'],
    ['gzip: stdin: unexpected end of file\n', 'unexpected end of file'],
    [
      '\nbzip2: Compressed file ends unexpectedly;\n\tperhaps it is corrupted?  *Possible* reason follows.\nbzip2: Inappropriate ioctl for device\n',
      'Compressed file ends unexpectedly',
    ],
    ['\nbzip2: Data integrity error when decompressing.\n\tInput file = (stdin), output file = (stdout)\n', 'Data integrity error when decompressing'],
    ['', ''],
  ])('%j -> %j', (stderr, summary) => {
    expect(summarizeToolStderr(stderr)).toBe(summary);
  });
});

describe('describeDecoderError', () => {
  it('names xz-embedded return codes', () => {
    expect(describeDecoderError(new Error('get_next_output failed with error code 8'))).toBe('unexpected end of input');
    expect(describeDecoderError(new Error('get_next_output failed with error code 7'))).toBe('compressed data is corrupt');
  });

  it('turns a JS decoder walking off its buffer into words', () => {
    expect(describeDecoderError(new TypeError("Cannot read properties of undefined (reading '0')"))).toBe('the data ends early or is damaged');
  });

  it('keeps other messages, without their library prefix', () => {
    expect(describeDecoderError(new Error('Error in bzip2: crc32 do not match'))).toBe('crc32 do not match');
    expect(describeDecoderError(new Error('unexpected end of file'))).toBe('unexpected end of file');
  });
});

describe('errors', () => {
  it('corruptSource names the file, the decoder and what it said, and what to do', () => {
    const error = corruptSource('/img/a.xz', 'xz', 'Unexpected end of input');
    expect(error.toJSON()).toEqual({
      code: 'source-invalid',
      message: '/img/a.xz is truncated or corrupt (xz: Unexpected end of input)',
      hint: expect.stringMatching(/download it again/),
    });
  });

  it.each([
    ['ENOENT', '/img/a does not exist'],
    ['EACCES', '/img/a cannot be read: permission denied'],
    ['EISDIR', '/img/a is a directory, not an image file'],
  ])('unreadableSource %s', (code, message) => {
    expect(unreadableSource('/img/a', Object.assign(new Error('x'), { code }))).toMatchObject({ code: 'source-invalid', message });
  });

  it('unreadableSource keeps the message of an unexpected failure', () => {
    expect(unreadableSource('/img/a', Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' })).message).toBe('/img/a cannot be read: EIO: i/o error, read');
  });
});
