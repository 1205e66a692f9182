import { describe, expect, it } from 'vitest';
import type { Drive } from '../../../src-shared/drives/drive-types.js';
import { usbStick } from './drive-fixture.js';
import { isForbiddenFilePath, policyError, sameIdentity, targetProblems, type PolicyInput, type TargetFact } from '../../../src-shared/drives/target-policy.js';

function drive(over: Partial<Drive> = {}): Drive {
  return usbStick({ identity: { size: 16e9, serial: '4C53', byId: 'usb-SanDisk_4C53' }, devices: ['8:16', '8:17'], ...over });
}

const image = { path: '/home/me/kairos.img', size: 2e9, fileId: { dev: '254:1', ino: '42' }, device: '254:1' };

function input(targets: TargetFact[], over: Partial<PolicyInput> = {}): PolicyInput {
  return { image, targets, allowVirtual: false, confirmations: {}, platform: 'linux', ...over };
}

const codes = (i: PolicyInput) => targetProblems(i).map((p) => [p.target, p.code]);
const onDrive = (d: Drive, given = d.device): TargetFact => ({ kind: 'drive', given, drive: d });

describe('targetProblems', () => {
  it('lets a plain USB stick through', () => {
    expect(targetProblems(input([onDrive(drive())]))).toEqual([]);
  });

  it('refuses the same drive named twice, as a path and through a link', () => {
    expect(codes(input([onDrive(drive()), onDrive(drive(), '/dev/disk/by-id/usb-SanDisk_4C53')]))).toEqual([['/dev/disk/by-id/usb-SanDisk_4C53', 'duplicate']]);
  });

  it('refuses a system drive unless its name was typed, by target, device or name', () => {
    const system = drive({ device: '/dev/nvme0n1', kind: 'internal', removable: false, system: true, devices: ['259:0'] });
    const problems = targetProblems(input([onDrive(system)]));
    expect(problems).toEqual([expect.objectContaining({ code: 'not-confirmed', hint: 'To write it anyway, confirm it by its name, nvme0n1' })]);
    expect(targetProblems(input([onDrive(system)], { confirmations: { '/dev/nvme0n1': 'nvme0n1' } }))).toEqual([]);
    expect(targetProblems(input([onDrive(system)], { confirmations: { nvme0n1: 'nvme0n1' } }))).toEqual([]);
    expect(targetProblems(input([onDrive(system)], { confirmations: { '/dev/nvme0n1': 'sda' } }))[0]?.hint).toBe('The confirmation "sda" is not its name, nvme0n1');
  });

  it('treats a loop device with a system mount as a system drive', () => {
    const dressed = drive({ device: '/dev/loop4', kind: 'loop', virtual: true, removable: false, mountpoints: ['/srv'], devices: ['7:4'] });
    expect(codes(input([onDrive(dressed)], { allowVirtual: true }))).toEqual([['/dev/loop4', 'not-confirmed']]);
    expect(targetProblems(input([onDrive(dressed)], { allowVirtual: true, confirmations: { loop4: 'loop4' } }))).toEqual([]);
  });

  it('refuses loop devices and files unless asked for', () => {
    const loop = drive({ device: '/dev/loop4', kind: 'loop', virtual: true, devices: ['7:4'] });
    const file: TargetFact = { kind: 'file', given: 'out.img', path: '/home/me/out.img' };
    expect(codes(input([onDrive(loop), file]))).toEqual([
      ['/dev/loop4', 'virtual-not-allowed'],
      ['out.img', 'virtual-not-allowed'],
    ]);
    expect(targetProblems(input([onDrive(loop), file], { allowVirtual: true }))).toEqual([]);
  });

  it('refuses a file that is the image: the same path, a link to it, or a hard link (same inode)', () => {
    const same: TargetFact = { kind: 'file', given: '/home/me/kairos.img', path: '/home/me/kairos.img', fileId: image.fileId };
    const link: TargetFact = { kind: 'file', given: 'link.img', path: '/home/me/kairos.img', fileId: image.fileId };
    const hard: TargetFact = { kind: 'file', given: 'hard.img', path: '/home/me/hard.img', fileId: { dev: '254:1', ino: '42' } };
    for (const t of [same, link, hard]) expect(codes(input([t], { allowVirtual: true }))).toEqual([[t.given, 'is-image']]);
  });

  it('refuses two names of one file as duplicates', () => {
    const a: TargetFact = { kind: 'file', given: 'a.img', path: '/tmp/a.img', fileId: { dev: '8:1', ino: '9' } };
    const b: TargetFact = { kind: 'file', given: 'b.img', path: '/tmp/b.img', fileId: { dev: '8:1', ino: '9' } };
    const c: TargetFact = { kind: 'file', given: './c.img', path: '/tmp/c.img' };
    const c2: TargetFact = { kind: 'file', given: '/tmp/c.img', path: '/tmp/c.img' };
    expect(codes(input([a, b, c, c2], { allowVirtual: true }))).toEqual([
      ['b.img', 'duplicate'],
      ['/tmp/c.img', 'duplicate'],
    ]);
  });

  it('never writes files under /proc, /sys, /dev, /run or /etc', () => {
    for (const path of ['/proc/sys/kernel/hostname', '/sys/kernel/x', '/dev/shm/x.img', '/run/x.img', '/etc/passwd', '/etc']) {
      expect(codes(input([{ kind: 'file', given: path, path }], { allowVirtual: true }))).toEqual([[path, 'forbidden-path']]);
    }
    expect(codes(input([{ kind: 'file', given: '/etcetera/x.img', path: '/etcetera/x.img' }], { allowVirtual: true }))).toEqual([]);
  });

  it('refuses the drive holding the image, found by device numbers or by a loop device over the image', () => {
    expect(codes(input([onDrive(drive({ devices: ['254:0', '254:1'] }))]))).toEqual([['/dev/sdb', 'contains-source']]);
    const loop = drive({ device: '/dev/loop1', kind: 'loop', virtual: true, devices: ['7:1'], backingFile: { dev: '254:1', ino: '42' } });
    expect(codes(input([onDrive(loop)], { allowVirtual: true }))).toEqual([['/dev/loop1', 'contains-source']]);
  });

  it('refuses a read-only drive and one too small for the decompressed image', () => {
    expect(codes(input([onDrive(drive({ readOnly: true })), onDrive(drive({ device: '/dev/sdc', devices: ['8:32'], size: 1e9 }))]))).toEqual([
      ['/dev/sdb', 'read-only'],
      ['/dev/sdc', 'too-small'],
    ]);
  });

  it('refuses a drive that is not the one picked (another stick under the same name)', () => {
    const picked = { '/dev/sdb': { size: 16e9, serial: '4C53', byId: 'usb-SanDisk_4C53' } };
    expect(targetProblems(input([onDrive(drive())], { picked }))).toEqual([]);
    const swapped = drive({ size: 64e9, identity: { size: 64e9, serial: 'ZZ99', byId: 'usb-Kingston_ZZ99' } });
    const problems = targetProblems(input([onDrive(swapped)], { picked }));
    expect(problems.map((p) => p.code)).toEqual(['identity-changed']);
    expect(problems[0]?.message).toMatch(/not the drive that was picked: it was 14.9 GiB, usb-SanDisk_4C53, now it is 59.6 GiB, usb-Kingston_ZZ99/);
  });

  it('reports an invalid target as it was described', () => {
    expect(targetProblems(input([{ kind: 'invalid', given: '/dev/sdb1', message: '/dev/sdb1 is a partition of /dev/sdb', hint: 'Write the whole drive' }]))).toEqual([
      { target: '/dev/sdb1', code: 'not-a-target', message: '/dev/sdb1 is a partition of /dev/sdb', hint: 'Write the whole drive' },
    ]);
  });
});

describe('sameIdentity', () => {
  it('compares size always, serial, by-id and backing file where both sides know them', () => {
    expect(sameIdentity({ size: 1 }, { size: 1, serial: 'a' })).toBe(true);
    expect(sameIdentity({ size: 1 }, { size: 2 })).toBe(false);
    expect(sameIdentity({ size: 1, serial: 'a' }, { size: 1, serial: 'b' })).toBe(false);
    expect(sameIdentity({ size: 1, byId: 'x' }, { size: 1, byId: 'y' })).toBe(false);
    expect(sameIdentity({ size: 1, backingPath: '/a' }, { size: 1, backingPath: '/b' })).toBe(false);
  });
});

describe('isForbiddenFilePath', () => {
  it('knows the Windows system folder and device namespace', () => {
    expect(isForbiddenFilePath('C:\\Windows\\System32\\x.img', 'win32')).toBe(true);
    expect(isForbiddenFilePath('\\\\.\\PhysicalDrive0', 'win32')).toBe(true);
    expect(isForbiddenFilePath('D:\\images\\x.img', 'win32')).toBe(false);
  });
});

describe('policyError', () => {
  it('names every problem, the first one deciding the code', () => {
    const error = policyError([
      { target: '/dev/sdc', code: 'too-small', message: '/dev/sdc: Too small', hint: 'Use a bigger drive' },
      { target: 'x', code: 'duplicate', message: 'x is the same drive as y', hint: 'Name each target once' },
    ]);
    expect(error).toEqual({ code: 'target-too-small', message: 'Nothing was written:\n  /dev/sdc: Too small\n  x is the same drive as y', hint: 'Use a bigger drive; Name each target once' });
    expect(policyError([{ target: 'a', code: 'not-confirmed', message: 'm' }]).code).toBe('not-confirmed');
  });
});
