// Runs once before the integration tests: finds out what this machine has (Docker, qemu, OVMF,
// loop devices), and builds the example ISO through the CLI so every test file can use it.
// Missing pieces make the tests that need them skip, saying why; with KF_REQUIRE_INTEGRATION=1
// (CI) a missing piece is an error instead.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { execa } from 'execa';
import { dockerEngine } from '../../src-main/docker/docker-engine.js';
import { findOvmf } from '../../src-main/boot-test/run-boot-test.js';
import { findIpxeRom } from '../../src-main/boot-test/run-netboot-test.js';
import { inspectImage } from '../../src-main/docker/ensure-image.js';
import { REPO, type IntegrationEnv } from './support.js';

declare module 'vitest' {
  export interface ProvidedContext {
    integration: IntegrationEnv;
  }
}

async function check(what: string, probe: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await probe();
    return undefined;
  } catch (error) {
    return `${what}: ${(error as Error).message.split('\n')[0]}`;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const missing: Record<string, string | undefined> = {
    docker: await check('no Docker engine', async () => {
      const docker = await dockerEngine();
      if (!(await inspectImage(docker, 'debian:bookworm'))) throw new Error('base image debian:bookworm is missing (run scripts/base-image.sh)');
    }),
    qemu: await check('no qemu', () => execa('qemu-system-x86_64', ['--version'])),
    ovmf: await check('no OVMF', async () => {
      if (!(await findOvmf())) throw new Error('install the ovmf package');
    }),
    ipxe: await check('no iPXE ROM for qemu (netboot)', async () => {
      if (!(await findIpxeRom())) throw new Error('install ipxe-qemu (efi-virtio.rom under /usr/lib/ipxe/qemu)');
    }),
    registry: await check('no local registry for push tests', () => execa('docker-registry', ['--version'])),
    arm64: await check('no arm64 emulation', async () => {
      const docker = await dockerEngine();
      if (!(await inspectImage(docker, 'kairos-factory/arm64-probe:bookworm'))) throw new Error('probe image missing (scripts/base-image.sh kairos-factory/arm64-probe:bookworm bookworm arm64 --foreign)');
      await execa('test', ['-e', '/proc/sys/fs/binfmt_misc/qemu-aarch64']).catch(() => {
        throw new Error('qemu-aarch64 is not registered with binfmt_misc (apt-get install qemu-user-static)');
      });
    }),
    loop: await check('no loop devices', async () => {
      if (process.getuid?.() !== 0) throw new Error('not root');
      await execa('losetup', ['-f']);
    }),
  };
  const problems = Object.values(missing).filter((m): m is string => m !== undefined);
  if (problems.length > 0 && process.env.KF_REQUIRE_INTEGRATION === '1') {
    throw new Error(`KF_REQUIRE_INTEGRATION=1 but: ${problems.join('; ')}`);
  }
  for (const p of problems) console.warn(`[integration] skipping what needs it: ${p}`);

  const outputDir = join(REPO, 'build', 'test');
  let iso: string | undefined;
  let buildLog = '';
  if (!missing.docker) {
    await rm(outputDir, { recursive: true, force: true });
    await mkdir(outputDir, { recursive: true });
    const result = await execa('node', ['bin/kairos-factory.js', 'build', 'examples/debian-bookworm.yaml', '--output', outputDir], {
      cwd: REPO,
      reject: false,
      all: true,
    });
    buildLog = result.all ?? '';
    if (result.exitCode !== 0) throw new Error(`building the example ISO failed (exit ${result.exitCode}):\n${buildLog.slice(-3000)}`);
    iso = join(outputDir, 'debian-bookworm.iso');
  }
  const env: IntegrationEnv = { missing, outputDir, ...(iso ? { iso } : {}), buildLog };
  project.provide('integration', env);
}
