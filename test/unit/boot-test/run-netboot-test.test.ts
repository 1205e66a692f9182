// The netboot boot test's pure parts: which script a path names, the qemu command line without a
// medium, the guest memory, the Build step's offer, and what a failure says the server saw.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { qemuArgs } from '../../../src-main/boot-test/qemu-command.js';
import { findNetbootScript, netbootDiagnosis, netbootMemoryMiB } from '../../../src-main/boot-test/run-netboot-test.js';
import { bootModesFor } from '../../../src-shared/recipe/catalog.js';
import { useTempFolder } from '../temp-folder.js';

describe('netboot boot test', () => {
  const temp = useTempFolder('kf-netboot-test-');
  beforeAll(async () => {
    await mkdir(join(temp(), 'os-netboot'));
    for (const f of ['os.ipxe', 'os-kernel', 'os.squashfs']) await writeFile(join(temp(), 'os-netboot', f), f);
    await mkdir(join(temp(), 'two'));
    for (const f of ['a.ipxe', 'b.ipxe']) await writeFile(join(temp(), 'two', f), f);
    await mkdir(join(temp(), 'none'));
  });

  it('finds the script from the folder, the script or a file beside it', async () => {
    const folder = join(temp(), 'os-netboot');
    const found = { folder, script: 'os.ipxe' };
    expect(await findNetbootScript(folder)).toEqual(found);
    expect(await findNetbootScript(join(folder, 'os.ipxe'))).toEqual(found);
    expect(await findNetbootScript(join(folder, 'os.squashfs'))).toEqual(found);
    expect(await findNetbootScript(join(temp(), 'two', 'b.ipxe'))).toEqual({ folder: join(temp(), 'two'), script: 'b.ipxe' });
  });

  it('says what to name when the folder has no script, several, or is not there', async () => {
    await expect(findNetbootScript(join(temp(), 'none'))).rejects.toThrow(/No \.ipxe script in/);
    await expect(findNetbootScript(join(temp(), 'two'))).rejects.toThrow(/Several \.ipxe scripts in .*: a\.ipxe, b\.ipxe/);
    await expect(findNetbootScript(join(temp(), 'missing-netboot'))).rejects.toThrow(/Cannot read/);
  });

  it('boots no medium: the URL as DHCP boot file of the NIC, network boot, SeaBIOS on the serial console', () => {
    const args = qemuArgs({ artifact: '/x/os.ipxe', media: 'disk', firmware: 'bios', accel: 'tcg', serialLog: '/l,og', serialSocket: '/s', netbootUrl: 'http://10.0.2.2:4000/os.ipxe' });
    const joined = args.join(' ');
    expect(joined).toContain('-nic user,model=virtio-net-pci,bootfile=http://10.0.2.2:4000/os.ipxe');
    expect(joined).toContain('-machine pc -');
    expect(joined).toContain('-machine graphics=off');
    expect(joined).toMatch(/-boot n$/);
    expect(args).not.toContain('-drive');
  });

  it('gives the guest room for the squashfs the initrd keeps in RAM', () => {
    expect(netbootMemoryMiB(268_533_760)).toBe(2048);
    expect(netbootMemoryMiB(1024 * 1024 * 1024)).toBe(2560);
  });

  it('is offered once per netboot folder, on its script', () => {
    expect(bootModesFor('netboot', '/o/os-netboot/os.ipxe')).toEqual(['netboot']);
    for (const f of ['os-kernel', 'os-initrd', 'os.squashfs', 'os-config.yaml', 'os-user-data']) expect(bootModesFor('netboot', `/o/os-netboot/${f}`)).toEqual([]);
  });

  it('a failure says which file the server never handed out', () => {
    const files = { kernel: 'os-kernel', initrd: 'os-initrd', squashfs: 'os.squashfs' };
    expect(netbootDiagnosis(new Set(), 'os.ipxe', files)).toMatch(/iPXE never fetched os\.ipxe/);
    expect(netbootDiagnosis(new Set(['os.ipxe']), 'os.ipxe', files)).toMatch(/not the kernel and initrd/);
    expect(netbootDiagnosis(new Set(['os.ipxe', 'os-kernel', 'os-initrd']), 'os.ipxe', files)).toMatch(/initrd never fetched os\.squashfs: .*network-legacy/);
    expect(netbootDiagnosis(new Set(['os.ipxe', 'os-kernel', 'os-initrd', 'os.squashfs']), 'os.ipxe', files)).toBeUndefined();
  });
});
