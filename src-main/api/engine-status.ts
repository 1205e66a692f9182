// What the machine offers, for the UI's status line and its hints.
import { platform } from 'node:os';
import { execa } from 'execa';
import type { CheckResult, EngineInfo, EngineStatus } from '../../src-shared/api/contract.js';
import { APP_VERSION } from '../../src-shared/version.js';
import { toErrorData } from '../../src-shared/errors/app-error.js';
import { findAavmf, findOvmf } from '../boot-test/run-boot-test.js';
import { connectedEngine } from '../docker/docker-engine.js';

/** The chosen engine: its version, OS/architecture and which one it is, or why none answers. */
async function dockerCheck(): Promise<{ check: CheckResult; engine?: EngineInfo }> {
  try {
    const { docker, candidate } = await connectedEngine();
    const { describeEngine } = await import('../docker/engine-probe.js');
    const facts = await describeEngine(docker);
    const engine: EngineInfo = { id: candidate.id, label: candidate.label, source: candidate.source, host: candidate.host, ...(candidate.current ? { current: true } : {}), ...facts };
    return { check: { ok: true, message: `Docker ${facts.version ?? ''} (${facts.os ?? '?'}/${facts.arch ?? '?'}) at ${candidate.label}` }, engine };
  } catch (error) {
    const data = toErrorData(error);
    return { check: { ok: false, message: data.message, ...(data.hint ? { hint: data.hint } : {}) } };
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

/** arm64 boot tests: qemu's aarch64 system emulator (virt, raspi3b) and AAVMF for virt. */
async function arm64QemuCheck(): Promise<CheckResult> {
  const hint = 'Install qemu-system-arm and qemu-efi-aarch64 (Debian/Ubuntu) or `brew install qemu` (macOS)';
  try {
    const { stdout } = await execa('qemu-system-aarch64', ['--version']);
    const aavmf = await findAavmf();
    if (!aavmf) return { ok: false, message: 'No AAVMF: arm64 UEFI boot tests are unavailable', hint };
    return { ok: true, message: stdout.split('\n')[0] ?? 'qemu-system-aarch64' };
  } catch {
    return { ok: false, message: 'qemu-system-aarch64 is not installed: arm64 and Raspberry Pi boot tests are unavailable', hint };
  }
}

export async function engineStatus(shell: EngineStatus['shell']): Promise<EngineStatus> {
  const [docker, qemu, ovmf, arm64Qemu] = await Promise.all([dockerCheck(), qemuCheck(), findOvmf(), arm64QemuCheck()]);
  return {
    version: APP_VERSION,
    platform: platform(),
    docker: docker.check,
    ...(docker.engine ? { engine: docker.engine } : {}),
    qemu,
    uefiFirmware: ovmf ? { ok: true, message: ovmf[0] } : { ok: false, message: 'No OVMF: UEFI boot tests are unavailable', hint: 'Install the ovmf package' },
    arm64Qemu,
    shell,
  };
}

