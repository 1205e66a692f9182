// An arm64 build of the Debian test recipe on an amd64 machine: the base from an arm64
// debootstrap, kairosified by the scratch method with every program running under qemu-user,
// then our image checks inside the arm64 image, then its root filesystem as a tarball.
//   npm run test:arm64
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO, cli } from '../integration/support.js';

const BASE = 'kairos-factory/debian-arm64:bookworm';
const TAG = 'kairos-factory/debian-bookworm:v0.1.0-core-generic-arm64';

/** The ELF machine of a file in a zstd tarball: 183 is AArch64. */
async function elfMachine(tarball: string, path: string): Promise<number> {
  const { stdout } = await execa('sh', ['-c', `tar -I zstd -xOf "$1" "$2" | head -c 20 | od -An -tu2 -j18 -N2`, 'sh', tarball, path]);
  return Number(stdout.trim());
}

describe('arm64 on amd64', () => {
  let out = '';
  afterAll(async () => {
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('kairosifies the Debian recipe under emulation and passes the image checks', async () => {
    await execa('bash', ['scripts/base-image.sh', BASE, 'bookworm', 'arm64'], { cwd: REPO });
    out = await mkdtemp(join(tmpdir(), 'kf-arm64-'));
    const result = await cli(['build', 'examples/debian-bookworm-arm64.yaml', '--output', out]);
    expect(result.exitCode, result.all.slice(-3000)).toBe(0);
    expect(result.all).toContain('Building arm64 on an amd64 engine: its programs run under emulation (slower)');
    expect(result.all).toMatch(/Check pass {2}kernel link: \/boot\/vmlinuz -> vmlinuz-[\d.-]+-arm64/);
    expect(result.all).toMatch(/Check pass {2}kernel modules: kernel [\d.-]+-arm64/);
    expect(result.all).toContain('Image checks passed (6 passed, 1 skipped)');
    expect(result.all).toContain(`Built ${TAG}`);
    const tarball = join(out, 'debian-bookworm.rootfs.tar.zst');
    expect(await elfMachine(tarball, './usr/bin/dpkg')).toBe(183);
    expect(await elfMachine(tarball, './usr/lib/systemd/systemd')).toBe(183);
  });
});
