import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CHECK_IDS,
  checkScript,
  describeFailures,
  expectsFramework,
  frameworkBinaries,
  imageChecks,
  parseCheckOutput,
  releaseExpectation,
} from '../../../src-shared/kairosify/image-checks.js';
import { emptyForm, writeCloudConfigForm } from '../../../src-shared/cloud-config/cloud-config.js';
import { kairosRelease, kairosReleaseText } from '../../../src-shared/kairosify/kairos-release.js';
import { RecipeSchema, type Recipe, type RecipeInput } from '../../../src-shared/recipe/recipe-schema.js';

const recipe = (over: Partial<RecipeInput> = {}): Recipe =>
  RecipeSchema.parse({
    name: 'x',
    version: 'v1.2.3',
    source: { baseImage: 'debian:bookworm' },
    kairosify: { method: 'scratch', framework: 'none' },
    ...over,
  });

const plain = recipe();
const withFramework = recipe({ kairosify: { method: 'scratch' } });
const trusted = recipe({ trustedBoot: { enabled: true }, artifacts: ['uki'] });
const kairosInit = recipe({ source: { baseImage: 'ubuntu:24.04' }, kairosify: { method: 'kairos-init' }, variant: 'standard', provider: { name: 'k3s', version: 'v1.32.0+k3s1' } });
const prebuilt = recipe({ source: { baseImage: 'quay.io/kairos/ubuntu:24.04-core-amd64-generic-v3.4.2' }, kairosify: { method: 'none' } });

/** The POSIX shells here: dash and busybox ash when installed, else plain sh. */
function shells(): string[][] {
  const found = [['dash'], ['busybox', 'ash']].filter(([cmd, ...args]) => spawnSync(cmd ?? '', [...args, '-c', 'exit 0']).status === 0);
  return found.length > 0 ? found : [['sh']];
}

describe('image checks: the list', () => {
  it('has one titled check per id, in order', () => {
    expect(imageChecks().map((c) => c.id)).toEqual([...CHECK_IDS]);
    expect(imageChecks().find((c) => c.id === 'kernel-link')?.title).toBe('kernel link');
    expect(imageChecks().find((c) => c.id === 'ssh-host-keys')?.title).toBe('SSH host keys');
  });

  it('expects the framework unless scratch with framework none', () => {
    expect(expectsFramework(plain)).toBe(false);
    expect(expectsFramework(withFramework)).toBe(true);
    expect(expectsFramework(prebuilt)).toBe(true);
    expect(frameworkBinaries(withFramework)).toEqual(['kairos-agent', 'immucore']);
    expect(frameworkBinaries(kairosInit)).toEqual(['kairos-agent', 'immucore', 'agent-provider-kairos', 'k3s']);
  });

  it('compares the recipe-derived kairos-release values, by method', () => {
    const scratch = releaseExpectation(plain);
    expect(scratch.required).toContain('KAIROS_INIT_VERSION');
    expect(Object.fromEntries(scratch.values)).toMatchObject({
      KAIROS_VERSION: 'v1.2.3',
      KAIROS_RELEASE: 'v1.2.3',
      KAIROS_ARCH: 'amd64',
      KAIROS_MODEL: 'generic',
      KAIROS_VARIANT: 'core',
      KAIROS_FIPS: 'false',
      KAIROS_TRUSTED_BOOT: 'false',
    });
    expect(scratch.values.map(([k]) => k)).not.toContain('KAIROS_FLAVOR');
    const init = releaseExpectation(kairosInit);
    expect(init.looseVersion).toBe(true);
    expect(init.values.map(([k]) => k)).not.toContain('KAIROS_SOFTWARE_VERSION');
    expect(Object.fromEntries(init.values)).toMatchObject({ KAIROS_VARIANT: 'standard', KAIROS_VERSION: 'v1.2.3' });
    const old = releaseExpectation(recipe({ source: { baseImage: 'ubuntu:24.04' }, kairosify: { method: 'kairos-init', kairosInitVersion: 'v0.2.4' } }));
    expect(old.values.map(([k]) => k)).not.toContain('KAIROS_VERSION');
    const none = releaseExpectation(prebuilt);
    expect(none.values).toEqual([['KAIROS_ARCH', 'amd64']]);
    expect(none.required).toContain('KAIROS_VERSION');
    expect(none.required).not.toContain('KAIROS_INIT_VERSION');
  });
});

describe('image checks: the script', () => {
  const scripts = { plain, withFramework, trusted, kairosInit, prebuilt };

  it.each(Object.entries(scripts))('%s: parses in every POSIX shell here', (_name, r) => {
    for (const [cmd, ...args] of shells()) {
      const result = spawnSync(cmd ?? 'sh', [...args, '-n'], { input: checkScript(r), encoding: 'utf8' });
      expect(result.stderr, `${cmd} ${args.join(' ')}`).toBe('');
      expect(result.status).toBe(0);
    }
  });

  it.each(Object.entries(scripts))('%s: has no bash-isms', (_name, r) => {
    const script = checkScript(r);
    for (const bashism of [/\[\[/, /\bfunction\s/, /\blocal\s/, /\$'/, /<<</, /\$\{[A-Za-z_]+\/\//, /\becho -e\b/, /\bsource\s/, /\w=\(/, /\[ [^\]]*==/, /&>/, /\bpipefail\b/]) {
      expect(script, String(bashism)).not.toMatch(bashism);
    }
  });

  it('skips the initrd with Trusted Boot and the framework when there is none', () => {
    expect(checkScript(trusted)).toContain('report initrd skip');
    expect(checkScript(plain)).toContain('report framework skip');
    expect(checkScript(withFramework)).not.toContain('report framework skip');
  });

  it('quotes recipe values it embeds', () => {
    expect(checkScript(kairosInit)).toContain("want=standard");
  });
});

describe('image checks: run against a folder', () => {
  const roots: string[] = [];
  afterAll(() => {
    for (const r of roots) rmSync(r, { recursive: true, force: true });
  });

  const put = (root: string, path: string, content: string): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  };

  /** A root filesystem that passes every check for the recipe. */
  function goodRoot(r: Recipe): string {
    const root = mkdtempSync(join(tmpdir(), 'kf-checks-'));
    roots.push(root);
    put(root, 'boot/vmlinuz-6.1.0-1-amd64', 'kernel');
    symlinkSync('vmlinuz-6.1.0-1-amd64', join(root, 'boot/vmlinuz'));
    put(root, 'boot/initrd', 'initrd');
    put(root, 'etc/kairos-release', kairosReleaseText(kairosRelease(r, { flavor: 'debian', release: '12', family: 'debian' }, 'kairos-factory-0.1.0')));
    put(root, 'etc/machine-id', '');
    put(root, 'lib/modules/6.1.0-1-amd64/modules.dep', '');
    for (const b of frameworkBinaries(r)) {
      put(root, `usr/bin/${b}`, '#!/bin/sh\n');
      chmodSync(join(root, `usr/bin/${b}`), 0o755);
    }
    return root;
  }

  const run = (r: Recipe, root: string, shell: string[]): ReturnType<typeof parseCheckOutput> => {
    const [cmd, ...args] = shell;
    const out = execFileSync(cmd ?? 'sh', [...args, '-c', checkScript(r)], { env: { ...process.env, KFCHECK_ROOT: root }, encoding: 'utf8' });
    return parseCheckOutput(out);
  };

  it.each(shells().map((s) => [s.join(' '), s] as const))('a good image passes every check (%s)', (_name, shell) => {
    const results = run(plain, goodRoot(plain), shell);
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['kernel-link', 'pass'],
      ['initrd', 'pass'],
      ['kairos-release', 'pass'],
      ['ssh-host-keys', 'pass'],
      ['machine-id', 'pass'],
      ['kernel-modules', 'pass'],
      ['framework', 'skip'],
      ['device-tools', 'skip'],
    ]);
    expect(results[0]?.detail).toBe('/boot/vmlinuz -> vmlinuz-6.1.0-1-amd64');
    expect(results[5]?.detail).toBe('kernel 6.1.0-1-amd64');
    expect(run(withFramework, goodRoot(withFramework), shell).every((r) => r.status === (r.id === 'device-tools' ? 'skip' : 'pass'))).toBe(true);
  });

  it.each(shells().map((s) => [s.join(' '), s] as const))('a cloud-config with Wi-Fi and a keyboard layout needs their tools in the image (%s)', (_name, shell) => {
    const cloudConfig = writeCloudConfigForm('#cloud-config\n', { ...emptyForm(), wifiSsid: 'IEEE', wifiCountry: 'DE', keyboard: 'de' });
    const withWifi = recipe({ kairosify: { method: 'scratch' }, cloudConfig });
    const root = goodRoot(withWifi);
    const device = (): unknown => run(withWifi, root, shell).find((r) => r.id === 'device-tools');
    expect(device()).toMatchObject({ status: 'fail', detail: 'missing: wpa_supplicant iw regulatory.db setupcon|loadkeys' });
    for (const b of ['sbin/wpa_supplicant', 'usr/sbin/iw', 'bin/setupcon']) {
      put(root, b, '#!/bin/sh\n');
      chmodSync(join(root, b), 0o755);
    }
    put(root, 'lib/firmware/regulatory.db', 'db');
    expect(device()).toMatchObject({ status: 'pass', detail: 'wpa_supplicant iw regulatory.db setupcon' });
  });

  it.each(shells().map((s) => [s.join(' '), s] as const))('names what is wrong (%s)', (_name, shell) => {
    const root = goodRoot(withFramework);
    rmSync(join(root, 'boot/vmlinuz-6.1.0-1-amd64'));
    rmSync(join(root, 'boot/initrd'));
    put(root, 'etc/ssh/ssh_host_ed25519_key', 'x');
    put(root, 'etc/machine-id', '0123456789abcdef\n');
    rmSync(join(root, 'lib/modules'), { recursive: true });
    rmSync(join(root, 'usr/bin/immucore'));
    const release = kairosReleaseText(kairosRelease(withFramework, { flavor: 'debian', release: '12', family: 'debian' }, 'k'))
      .replace(/^KAIROS_VERSION=.*\n/m, '')
      .replace('KAIROS_ARCH="amd64"', 'KAIROS_ARCH="arm64"')
      .replace('KAIROS_MODEL="generic"', 'KAIROS_MODEL=""');
    put(root, 'etc/kairos-release', release);
    const results = run(withFramework, root, shell);
    expect(results.every((r) => r.status === (r.id === 'device-tools' ? 'skip' : 'fail'))).toBe(true);
    expect(describeFailures(results)).toBe(
      'kernel link (/boot/vmlinuz -> vmlinuz-6.1.0-1-amd64 does not resolve), initrd (/boot/initrd is missing), ' +
        'kairos-release (KAIROS_VERSION is missing; KAIROS_MODEL is empty; KAIROS_ARCH is "arm64", expected "amd64"; KAIROS_MODEL is "", expected "generic"), ' +
        'SSH host keys (left in the image: /etc/ssh/ssh_host_ed25519_key), machine-id (/etc/machine-id is not empty), ' +
        'kernel modules (no kernel modules under /lib/modules), framework binaries (missing: immucore)',
    );
  });

  it('reports a missing kairos-release and a kernel that is not a link', () => {
    const root = goodRoot(plain);
    rmSync(join(root, 'etc/kairos-release'));
    rmSync(join(root, 'boot/vmlinuz'));
    put(root, 'boot/vmlinuz', 'kernel');
    const results = run(plain, root, shells()[0] ?? ['sh']);
    expect(results.find((r) => r.id === 'kairos-release')).toMatchObject({ status: 'fail', detail: '/etc/kairos-release is missing' });
    expect(results.find((r) => r.id === 'kernel-link')).toMatchObject({ status: 'pass', detail: '/boot/vmlinuz' });
  });
});

describe('image checks: the parser', () => {
  it('reads KFCHECK lines among other output, and fails checks that printed nothing', () => {
    const results = parseCheckOutput(
      ['some noise', 'KFCHECK kernel-link pass /boot/vmlinuz -> vmlinuz-6.1', '  KFCHECK initrd fail /boot/initrd is missing  ', 'KFCHECK framework skip framework: none', 'KFCHECK bogus pass x', 'KFCHECK ssh-host-keys pass'].join('\r\n'),
    );
    expect(results.map((r) => r.id)).toEqual([...CHECK_IDS]);
    expect(results[0]).toEqual({ id: 'kernel-link', title: 'kernel link', status: 'pass', detail: '/boot/vmlinuz -> vmlinuz-6.1' });
    expect(results[1]).toMatchObject({ status: 'fail', detail: '/boot/initrd is missing' });
    expect(results.find((r) => r.id === 'ssh-host-keys')).toMatchObject({ status: 'pass', detail: '' });
    expect(results.find((r) => r.id === 'framework')).toMatchObject({ status: 'skip' });
    expect(results.find((r) => r.id === 'machine-id')).toMatchObject({ status: 'fail', detail: 'no result (the check did not run)' });
    expect(describeFailures(results)).toBe(
      'initrd (/boot/initrd is missing), kairos-release (no result (the check did not run)), machine-id (no result (the check did not run)), kernel modules (no result (the check did not run)), ' +
        'Wi-Fi and keyboard tools (no result (the check did not run))',
    );
  });

  it('the last line of a check wins', () => {
    const results = parseCheckOutput('KFCHECK initrd pass a\nKFCHECK initrd fail b\n');
    expect(results[1]).toMatchObject({ status: 'fail', detail: 'b' });
  });
});
