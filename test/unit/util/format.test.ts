import { describe, expect, it } from 'vitest';
import { bar, formatBytes, formatDuration, formatProgress } from '../../../src-shared/util/format.js';

describe('format', () => {
  it('formats bytes in binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1536)).toBe('1.50 KiB');
    expect(formatBytes(334299136)).toBe('319 MiB');
    expect(formatBytes(8 * 1024 ** 3)).toBe('8.00 GiB');
  });

  it('formats durations', () => {
    expect(formatDuration(4.4)).toBe('4s');
    expect(formatDuration(136)).toBe('2m16s');
    expect(formatDuration(3 * 3600 + 120)).toBe('3h02m');
  });

  it('draws bars and clamps', () => {
    expect(bar(0.5, 4)).toBe('██░░');
    expect(bar(2, 3)).toBe('███');
    expect(bar(-1, 2)).toBe('░░');
  });

  it('shows bytes, rate and ETA of a progress event', () => {
    const line = formatProgress({ kind: 'progress', jobId: 'j', stage: 'flash', step: 'write', done: 512 * 1024 ** 2, total: 1024 ** 3, unit: 'bytes', rate: 64 * 1024 ** 2, etaSeconds: 8 }, 10);
    expect(line).toBe('write  [█████░░░░░]   50%  512 MiB/1.00 GiB  64.0 MiB/s  ETA 8s');
  });
});
