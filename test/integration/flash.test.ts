// Writing the example ISO to a real block device (a loop device) and reading it back.
import { open, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { execa } from 'execa';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { cli, skipReason } from './support.js';

const env = inject('integration');
const attached: Array<{ device: string; file: string }> = [];

async function loopDevice(sizeBytes: number): Promise<string> {
  const file = join(tmpdir(), `kf-loop-${process.pid}-${attached.length}.img`);
  await execa('truncate', ['-s', String(sizeBytes), file]);
  const device = (await execa('losetup', ['-f', '--show', file])).stdout.trim();
  attached.push({ device, file });
  return device;
}

afterEach(async () => {
  for (const { device, file } of attached.splice(0)) {
    await execa('losetup', ['-d', device], { reject: false });
    await rm(file, { force: true });
  }
});

async function firstMiBIsZero(device: string): Promise<boolean> {
  const handle = await open(device, 'r');
  try {
    const buffer = Buffer.alloc(1 << 20);
    await handle.read(buffer, 0, buffer.length, 0);
    return buffer.every((b) => b === 0);
  } finally {
    await handle.close();
  }
}

describe.skipIf(skipReason(env, 'docker', 'loop') !== undefined)('kairos-factory flash', () => {
  it('writes the ISO to a loop device and verifies it; cmp agrees', async () => {
    const iso = env.iso!;
    const size = (await stat(iso)).size;
    const device = await loopDevice(size + 64 * 1024 * 1024);
    const result = await cli(['flash', iso, device, '--yes']);
    expect(result.all).toMatch(/written to \/dev\/loop\d+ and verified/);
    expect(result.exitCode).toBe(0);
    const cmp = await execa('cmp', ['-n', String(size), iso, device], { reject: false });
    expect(cmp.exitCode).toBe(0);
  });

  it('refuses a device smaller than the image before writing anything', async () => {
    const device = await loopDevice(16 * 1024 * 1024);
    const result = await cli(['flash', env.iso!, device, '--yes']);
    expect(result.exitCode).toBe(1);
    expect(result.all).toMatch(/error: \/dev\/loop\d+: Too small: 16\.0 MiB, the image needs \d+ MiB/);
    expect(await firstMiBIsZero(device)).toBe(true);
  });

  it('does not write without --yes when nobody can answer', async () => {
    const device = await loopDevice(16 * 1024 * 1024);
    const result = await cli(['flash', env.iso!, device]);
    expect(result.exitCode).toBe(1);
    expect(result.all).toContain(`error: Not writing ${device} without confirmation. Answer "yes" at the prompt, or pass --yes`);
    expect(await firstMiBIsZero(device)).toBe(true);
  });
});
