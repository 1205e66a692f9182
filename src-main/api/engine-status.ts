// What the machine offers, for the UI's status line and its hints.
import { platform } from 'node:os';
import { execa } from 'execa';
import type { CheckResult, EngineStatus } from '../../src-shared/api/contract.js';
import { APP_VERSION } from '../../src-shared/version.js';
import { toErrorData } from '../../src-shared/errors/app-error.js';
import { findOvmf } from '../boot-test/run-boot-test.js';
import { dockerEngine } from '../docker/docker-engine.js';

async function dockerCheck(): Promise<CheckResult> {
  try {
    const docker = await dockerEngine();
    const version = await docker.version();
    return { ok: true, message: `Docker ${version.Version}` };
  } catch (error) {
    const data = toErrorData(error);
    return { ok: false, message: data.message, ...(data.hint ? { hint: data.hint } : {}) };
  }
}

async function qemuCheck(): Promise<CheckResult> {
  try {
    const { stdout } = await execa('qemu-system-x86_64', ['--version']);
    return { ok: true, message: stdout.split('\n')[0] ?? 'qemu' };
  } catch {
    return { ok: false, message: 'qemu is not installed: "Test in VM" is unavailable', hint: 'Install qemu-system-x86 (Linux) or `brew install qemu` (macOS)' };
  }
}

export async function engineStatus(shell: EngineStatus['shell']): Promise<EngineStatus> {
  const [docker, qemu, ovmf] = await Promise.all([dockerCheck(), qemuCheck(), findOvmf()]);
  return {
    version: APP_VERSION,
    platform: platform(),
    docker,
    qemu,
    uefiFirmware: ovmf ? { ok: true, message: ovmf[0] } : { ok: false, message: 'No OVMF: UEFI boot tests are unavailable', hint: 'Install the ovmf package' },
    shell,
  };
}

