// The hot-plug refresh: a change in the drive list is announced to the listeners, also a drive
// that appeared before the watcher's first poll (it used to become the silent baseline).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Drive } from '../../../src-shared/drives/drive-types.js';

const drives: { current: Array<Pick<Drive, 'device' | 'size' | 'mountpoints'>> } = { current: [] };
vi.mock('../../../src-main/drives/list-drives.js', () => ({ listDrives: vi.fn(async () => drives.current) }));
const { DriveWatcher } = await import('../../../src-main/api/drive-watcher.js');

const stick = { device: '/dev/sdb', size: 8e9, mountpoints: [] };
const disk = { device: '/dev/sda', size: 5e11, mountpoints: ['/'] };

describe('DriveWatcher', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    drives.current = [disk];
  });
  afterEach(() => vi.useRealTimers());

  it('announces a drive that appeared between the listener reading the list and the first poll', async () => {
    const onChange = vi.fn();
    const watcher = new DriveWatcher(onChange);
    // The listener has read [disk]; the stick arrives before the watcher's first tick.
    watcher.retain();
    drives.current = [disk, stick];
    await vi.advanceTimersByTimeAsync(2000);
    expect(onChange).toHaveBeenCalledTimes(1);
    watcher.stop();
  });

  it('announces each change once, and nothing while the list stays the same', async () => {
    const onChange = vi.fn();
    const watcher = new DriveWatcher(onChange);
    watcher.retain();
    await vi.advanceTimersByTimeAsync(2000);
    onChange.mockClear();
    await vi.advanceTimersByTimeAsync(6000);
    expect(onChange).not.toHaveBeenCalled();
    drives.current = [disk, stick];
    await vi.advanceTimersByTimeAsync(2000);
    expect(onChange).toHaveBeenCalledTimes(1);
    drives.current = [disk, { ...stick, mountpoints: ['/media/stick'] }];
    await vi.advanceTimersByTimeAsync(2000);
    expect(onChange).toHaveBeenCalledTimes(2);
    watcher.stop();
  });

  it('stops polling when the last listener leaves, and starts afresh for the next one', async () => {
    const onChange = vi.fn();
    const watcher = new DriveWatcher(onChange);
    watcher.retain();
    watcher.retain();
    watcher.release();
    await vi.advanceTimersByTimeAsync(2000);
    watcher.release();
    onChange.mockClear();
    drives.current = [disk, stick];
    await vi.advanceTimersByTimeAsync(10_000);
    expect(onChange).not.toHaveBeenCalled();
    // Whatever changed while nobody listened is announced to the next listener's first poll.
    watcher.retain();
    await vi.advanceTimersByTimeAsync(2000);
    expect(onChange).toHaveBeenCalledTimes(1);
    watcher.stop();
  });
});
