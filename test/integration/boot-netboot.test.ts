// The example's netboot folder (built once by global-setup, without netboot.url) boots to
// userspace through `kairos-factory boot-test --netboot`, as a user runs it: the engine serves the
// folder on loopback, qemu's own iPXE ROM (Debian's ipxe-qemu, of 2019, without ${cwduri}) gets
// the script from qemu's DHCP, and the initrd fetches the squashfs over HTTP. The folder is left
// as it was built.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { expectBooted, identityArgs } from './boot-expect.js';
import { cli, skipReason } from './support.js';

const env = inject('integration');

async function folderDigest(folder: string): Promise<Record<string, string>> {
  const files = (await readdir(folder)).filter((f) => !f.endsWith('.squashfs')).sort();
  const sums: Record<string, string> = {};
  for (const f of files) sums[f] = createHash('sha256').update(await readFile(join(folder, f))).digest('hex');
  return sums;
}

describe.skipIf(skipReason(env, 'docker', 'qemu', 'ipxe') !== undefined)('netboot test of the example netboot folder', () => {
  const folder = join(env.outputDir, 'debian-bookworm-netboot');

  it('boots over HTTP through qemu\'s iPXE to userspace, the folder unchanged', async () => {
    const before = await folderDigest(folder);
    const result = await cli(['boot-test', folder, '--netboot', '--timeout', '600', ...(await identityArgs())]);
    // The hostname and user come from the user-data the initrd's system fetched beside the squashfs.
    await expectBooted(result, 'netboot', 'netboot via iPXE + HTTP');
    const log = await readFile(`${folder}.netboot.boot.log`, 'utf8');
    // qemu's own iPXE fetched the script from the test's server, and the kernel got absolute URLs.
    expect(log).toMatch(/iPXE \d/);
    expect(log).toMatch(/http:\/\/10\.0\.2\.2:\d+\/debian-bookworm\.ipxe\.\.\. ok/);
    expect(log).toMatch(/Command line: .*root=live:http:\/\/10\.0\.2\.2:\d+\/debian-bookworm\.squashfs /);
    expect(await folderDigest(folder)).toEqual(before);
  });
});
