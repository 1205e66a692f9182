import { describe, expect, it } from 'vitest';
import { driveKindLabel, isEmptySlot } from '../../../src-shared/drives/drive-kind.js';
import { usbStick } from './drive-fixture.js';

describe('driveKindLabel', () => {
  it('names each kind of drive', () => {
    expect(driveKindLabel(usbStick())).toBe('USB drive');
    expect(driveKindLabel(usbStick({ kind: 'sd', device: '/dev/mmcblk0' }))).toBe('SD card');
    expect(driveKindLabel(usbStick({ kind: 'sd', busType: 'USB' }))).toBe('Card in a USB reader');
    expect(driveKindLabel(usbStick({ kind: 'internal' }))).toBe('Internal disk');
    expect(driveKindLabel(usbStick({ kind: 'loop', device: '/dev/loop3' }))).toBe('Loop device');
    expect(driveKindLabel(usbStick({ kind: 'file', device: '/tmp/x.img' }))).toBe('Image file');
    expect(driveKindLabel(usbStick({ kind: 'other' }))).toBe('Removable disk');
  });

  it('says when a reader or drive has nothing in it', () => {
    expect(driveKindLabel(usbStick({ kind: 'sd', busType: 'USB', size: 0 }))).toBe('Card reader, no card');
    expect(driveKindLabel(usbStick({ size: 0 }))).toBe('USB, no medium');
    expect(driveKindLabel(usbStick({ kind: 'other', size: 0 }))).toBe('Removable, no medium');
  });
});

describe('isEmptySlot', () => {
  it('is a drive of size 0, never a file (new files start empty) or a loop device', () => {
    expect(isEmptySlot(usbStick({ kind: 'sd', size: 0 }))).toBe(true);
    expect(isEmptySlot(usbStick({ kind: 'sd' }))).toBe(false);
    expect(isEmptySlot(usbStick({ kind: 'file', size: 0 }))).toBe(false);
    expect(isEmptySlot(usbStick({ kind: 'loop', size: 0 }))).toBe(false);
  });
});
