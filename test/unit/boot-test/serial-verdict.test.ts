import { describe, expect, it } from 'vitest';
import { SerialWatcher, cleanConsoleText } from '../../../src-main/boot-test/serial-verdict.js';

describe('SerialWatcher', () => {
  it('passes on a login prompt that has no newline yet', () => {
    const w = new SerialWatcher();
    expect(w.feed('Debian GNU/Linux 12 localhost ttyS0\r\n\r\nlocal')).toBeUndefined();
    expect(w.feed('host login: ')).toEqual({ status: 'passed', line: 'localhost login:' });
  });

  it('passes on multi-user.target, coloured as systemd prints it', () => {
    const w = new SerialWatcher();
    expect(w.feed('[\u001b[0;32m  OK  \u001b[0m] Reached target \u001b[0;1;39mmulti-user.target\u001b[0m - Multi-User System.\r\n')?.status).toBe('passed');
  });

  it('does not pass on the targets the initrd reaches', () => {
    const w = new SerialWatcher();
    expect(w.feed('[  OK  ] Reached target initrd-root-device.target - Initrd Root Device.\n[  OK  ] Reached target local-fs.target\n')).toBeUndefined();
  });

  it.each([
    ['[    5.1] Kernel panic - not syncing: VFS: Unable to mount root fs\n', 'kernel panic'],
    ['You are in emergency mode. After logging in, type "journalctl -xb"\n', 'systemd emergency mode'],
    ['dracut Warning: Could not boot.\nStarting Dracut Emergency Shell...\n', 'the initrd gave up (dracut emergency shell)'],
    ['Welcome to GRUB!\r\n\r\ngrub> ', 'GRUB found no configuration and stopped at its prompt'],
    ['grub rescue> ', 'GRUB could not find its files (grub rescue prompt)'],
  ])('fails early on %j', (text, reason) => {
    const w = new SerialWatcher();
    expect(w.feed(text)).toMatchObject({ status: 'failed', reason });
  });

  it('keeps its first verdict', () => {
    const w = new SerialWatcher();
    w.feed('box login: ');
    expect(w.feed('Kernel panic - not syncing\n')?.status).toBe('passed');
  });

  it('handles lines split across chunks', () => {
    const w = new SerialWatcher();
    expect(w.feed('Reached target multi-us')).toBeUndefined();
    expect(w.feed('er.target - Multi-User System.\n')?.status).toBe('passed');
  });

  it('strips escapes and carriage returns', () => {
    expect(cleanConsoleText('\u001b[2J\u001b[01;01Ha\r\nb\u001b[=3h')).toBe('a\n\nb');
  });
});
