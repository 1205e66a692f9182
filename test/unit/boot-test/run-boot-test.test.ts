import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultLogFile } from '../../../src-main/boot-test/run-boot-test.js';

describe('defaultLogFile', () => {
  it('keeps the console log next to the artifact', () => {
    expect(defaultLogFile('/b/x.iso', 'bios')).toBe('/b/x.iso.bios.boot.log');
  });

  it('puts the log of a device in the temp folder, never in /dev', () => {
    expect(defaultLogFile('/dev/loop3', 'uefi')).toBe(join(tmpdir(), 'loop3.uefi.boot.log'));
  });
});
