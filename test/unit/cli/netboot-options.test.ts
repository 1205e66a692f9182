// The CLI's netboot options, run in-process as a user runs them: `build --netboot-url` is checked
// like the recipe field and named as the option; `boot-test` boots a folder or an .ipxe script
// over the network (also without --netboot), and refuses firmware flags with it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src-main/cli/main.js';
import { useTempFolder } from '../temp-folder.js';

async function run(...argv: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
  try {
    return { code: await main(argv), err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

describe('netboot on the command line', () => {
  const temp = useTempFolder('kf-netboot-cli-');
  // The app's own data (job history) apart: it may still be written as a command returns.
  let data = '';
  beforeAll(async () => {
    data = await mkdtemp(join(tmpdir(), 'kf-netboot-cli-data-'));
    process.env.KF_DATA_DIR = data;
  });
  afterAll(async () => {
    delete process.env.KF_DATA_DIR;
    await rm(data, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  });

  it('build --netboot-url: a bad URL is a usage error named as the option, before any build', async () => {
    const { code, err } = await run('build', 'examples/debian-bookworm.yaml', '--netboot-url', 'boot-server:8080/os', '--output', join(temp(), 'out'));
    expect(code).toBe(2);
    expect(err).toMatch(/^error: --netboot-url: an http:\/\/ or https:\/\/ URL/m);
  });

  it('boot-test of a folder or an .ipxe script is a netboot test; --netboot with --uefi is a usage error', async () => {
    const missingScript = await run('boot-test', join(temp(), 'missing-netboot', 'os.ipxe'), '--timeout', '5');
    expect(missingScript.code).toBe(1);
    expect(missingScript.err).toMatch(/^error: Cannot read .*os\.ipxe.*netboot folder/m);
    const conflict = await run('boot-test', temp(), '--uefi');
    expect(conflict.code).toBe(2);
    expect(conflict.err).toMatch(/^error: A netboot test boots with BIOS/m);
    const forced = await run('boot-test', join(temp(), 'missing'), '--netboot', '--timeout', '5');
    expect(forced.err).toMatch(/netboot folder/);
  });
});
