import { describe, expect, it } from 'vitest';
import { SerialWatcher, cleanConsoleText, hostnameMatcher, judgeHostname } from '../../../src-main/boot-test/serial-verdict.js';

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

describe('SerialWatcher with an expected hostname', () => {
  const issue = 'Debian GNU/Linux 12 kairos-3f0a ttyS0\r\n\r\n';

  it("passes on a login prompt showing the recipe's hostname, matched as a pattern", () => {
    const w = new SerialWatcher({ hostname: 'kairos-[0-9a-f]{4}' });
    expect(w.feed(`${issue}kairos-3f`)).toBeUndefined();
    expect(w.feed('0a login: ')).toEqual({ status: 'passed', line: 'kairos-3f0a login:' });
  });

  it('fails, saying why, on a system that booted as localhost', () => {
    const w = new SerialWatcher({ hostname: 'kairos-[0-9a-f]{4}' });
    expect(w.feed('Debian GNU/Linux 12 localhost ttyS0\r\n\r\nlocalhost login: ')).toEqual({
      status: 'failed',
      line: 'localhost login:',
      reason: "booted as localhost: the cloud-config's hostname was not applied",
    });
  });

  it('fails on another name, naming both', () => {
    const w = new SerialWatcher({ hostname: /web-\d+/ });
    expect(w.feed('kairos-3f0a login: ')).toMatchObject({ status: 'failed', reason: 'booted as kairos-3f0a, not as the expected hostname (web-\\d+)' });
  });

  it('reports the prompt alone when a late message follows it on its line', () => {
    const w = new SerialWatcher({ hostname: 'kairos-[0-9a-f]{4}' });
    expect(w.feed('kairos-3f0a login: [   79.9] cloud-init[745]: *** update-locale: Error\r\n')).toEqual({ status: 'passed', line: 'kairos-3f0a login:' });
  });

  it('waits for the login prompt: multi-user.target does not show the name', () => {
    const w = new SerialWatcher({ hostname: 'box' });
    expect(w.feed('[  OK  ] Reached target multi-user.target - Multi-User System.\n')).toBeUndefined();
    expect(w.feed('box login: ')?.status).toBe('passed');
  });

  it('still fails early on a broken boot', () => {
    const w = new SerialWatcher({ hostname: 'box' });
    expect(w.feed('Kernel panic - not syncing: Attempted to kill init!\n')).toMatchObject({ status: 'failed', reason: 'kernel panic' });
  });

  it('refuses a hostname pattern that is not a regular expression', () => {
    expect(() => new SerialWatcher({ hostname: 'kairos-[' })).toThrow(SyntaxError);
  });
});

describe('hostname patterns', () => {
  it('match the whole name, a plain name only itself', () => {
    expect(hostnameMatcher('kairos-[0-9a-f]{4}').test('kairos-3f0a')).toBe(true);
    expect(hostnameMatcher('kairos-[0-9a-f]{4}').test('kairos-3f0a1')).toBe(false);
    expect(hostnameMatcher('box').test('mybox')).toBe(false);
    expect(hostnameMatcher(/BOX/i).test('box')).toBe(true);
    expect(hostnameMatcher('a|b').test('ab')).toBe(false);
  });

  it('judge a name', () => {
    expect(judgeHostname('box', 'box', 'box login:')).toEqual({ status: 'passed', line: 'box login:' });
    expect(judgeHostname('localhost', 'box', 'l')).toMatchObject({ status: 'failed', reason: /was not applied/ });
  });
});
