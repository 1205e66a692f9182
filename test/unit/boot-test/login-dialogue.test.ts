import { describe, expect, it } from 'vitest';
import { LOGIN_COMMAND, LoginDialogue } from '../../../src-main/boot-test/login-dialogue.js';

const kairos = { user: 'kairos', password: 'kairos' };

/** A console as Debian's serial getty, login and bash print it, answering what is typed. */
const BANNER = '\r\nDebian GNU/Linux 12 kairos-3f0a ttyS0\r\n\r\nkairos-3f0a login: ';

describe('LoginDialogue', () => {
  it('types the user, the password, then the command, and passes on its expanded output', () => {
    const d = new LoginDialogue(kairos, { hostname: 'kairos-[0-9a-f]{4}' });
    expect(d.feed('[  OK  ] Reached target getty.target - Login Prompts.\r\n')).toEqual({});
    expect(d.feed(BANNER)).toEqual({ type: 'kairos\r' });
    expect(d.step).toBe('password prompt');
    expect(d.feed('kairos\r\n')).toEqual({});
    expect(d.feed('Password: ')).toEqual({ type: 'kairos\r' });
    expect(d.feed('\r\nLinux kairos-3f0a 6.1.0-28-amd64 #1 SMP Debian x86_64\r\n\r\nThe programs included')).toEqual({});
    expect(d.feed(' with the Debian GNU/Linux system are free software.\r\n\u001b[?2004hkairos@kairos-3f0a:~$ ')).toEqual({ type: `${LOGIN_COMMAND}\r` });
    expect(d.feed(`${LOGIN_COMMAND}\r\n\u001b[?2004l\r`)).toEqual({});
    expect(d.feed('KF-LOGIN-kairos-kairos-3f0a\r\n\u001b[?2004hkairos@kairos-3f0a:~$ ')).toEqual({
      outcome: { status: 'passed', line: 'KF-LOGIN-kairos-kairos-3f0a' },
    });
    expect(d.feed('more')).toEqual({ outcome: { status: 'passed', line: 'KF-LOGIN-kairos-kairos-3f0a' } });
  });

  it('still types the command when a late cloud-init message lands right after the shell prompt', () => {
    // As a netboot test's console printed it in CI: the prompt, then cloud-init's final stage on
    // the same line; nothing else came, and the dialogue waited for a prompt until its timeout.
    const d = new LoginDialogue(kairos);
    d.feed(BANNER);
    d.feed('kairos\r\nPassword: ');
    expect(d.step).toBe('shell prompt');
    expect(d.feed("permitted by applicable law.\r\n$ [  106.402990] cloud-init[941]: Cloud-init v. 22.4.2 running 'modules:final' at Thu, 03 Dec 2026 17:56:19 +0000. Up 105.94 seconds.\r\n")).toEqual({ type: `${LOGIN_COMMAND}\r` });
    expect(d.feed(`${LOGIN_COMMAND}\r\nKF-LOGIN-kairos-kairos-d513\r\n$ `)).toEqual({ outcome: { status: 'passed', line: 'KF-LOGIN-kairos-kairos-d513' } });
  });

  it('does not take the echo of the typed command for its output', () => {
    const d = new LoginDialogue(kairos);
    d.feed(BANNER);
    d.feed('kairos\r\nPassword: ');
    d.feed('\r\n$ ');
    expect(d.feed(`${LOGIN_COMMAND}\r\n`)).toEqual({});
    expect(d.outcome).toBeUndefined();
  });

  it('fails on "Login incorrect", saying so', () => {
    const d = new LoginDialogue({ user: 'kairos', password: 'wrong' });
    d.feed(BANNER);
    d.feed('kairos\r\nPassword: ');
    expect(d.feed('\r\n\r\nLogin incorrect\r\nkairos-3f0a login: ')).toEqual({
      outcome: { status: 'failed', line: 'Login incorrect', reason: 'Login incorrect: kairos could not log in with the password given' },
    });
  });

  it('types each answer once, however the prompt arrives in pieces', () => {
    const d = new LoginDialogue(kairos);
    expect(d.feed('kairos-3f0a log')).toEqual({});
    expect(d.feed('in: ')).toEqual({ type: 'kairos\r' });
    // No new line yet: the same prompt, not a new one.
    expect(d.feed('')).toEqual({});
    expect(d.feed('kair')).toEqual({});
    expect(d.feed('os\r\nPass')).toEqual({});
    expect(d.feed('word: ')).toEqual({ type: 'kairos\r' });
    expect(d.feed('')).toEqual({});
  });

  it('answers a prompt that a late message followed on its line', () => {
    const d = new LoginDialogue(kairos);
    expect(d.feed('kairos-3f0a login: [  OK  ] Finished e2scrub_reap.service.\r\n')).toEqual({ type: 'kairos\r' });
  });

  it('types the user again when the getty asks again, and gives up after a few times', () => {
    const d = new LoginDialogue(kairos);
    d.feed(BANNER);
    expect(d.feed('\r\nkairos-3f0a login: ')).toEqual({ type: 'kairos\r' });
    expect(d.feed('\r\nkairos-3f0a login: ')).toEqual({ type: 'kairos\r' });
    expect(d.feed('\r\nkairos-3f0a login: ')).toMatchObject({ outcome: { status: 'failed', reason: expect.stringMatching(/kept asking again/) } });
  });

  it('types the command again when the shell prompts again without its output', () => {
    const d = new LoginDialogue(kairos);
    d.feed(BANNER);
    d.feed('kairos\r\nPassword: ');
    expect(d.feed('\r\n$ ')).toEqual({ type: `${LOGIN_COMMAND}\r` });
    expect(d.feed('ech\r\n-sh: 1: ech: not found\r\n$ ')).toEqual({ type: `${LOGIN_COMMAND}\r` });
    expect(d.feed('\r\nKF-LOGIN-kairos-box\r\n')).toMatchObject({ outcome: { status: 'passed' } });
  });

  it("fails when the shell runs as another user or on another host", () => {
    const other = new LoginDialogue(kairos);
    other.feed(BANNER);
    other.feed('kairos\r\nPassword: ');
    other.feed('\r\n# ');
    expect(other.feed('KF-LOGIN-root-kairos-3f0a\r\n')).toMatchObject({ outcome: { status: 'failed', reason: 'logged in, but the shell runs as root, not kairos' } });
    const host = new LoginDialogue(kairos, { hostname: 'kairos-[0-9a-f]{4}' });
    host.feed(BANNER);
    host.feed('kairos\r\nPassword: ');
    host.feed('\r\n$ ');
    expect(host.feed('KF-LOGIN-kairos-localhost\r\n')).toMatchObject({ outcome: { status: 'failed', reason: "logged in, but the shell's hostname is localhost" } });
  });

  it('ignores "Login incorrect" before it typed anything (an earlier attempt on the console)', () => {
    const d = new LoginDialogue(kairos);
    expect(d.feed('Login incorrect\r\n')).toEqual({});
  });
});
