// Boots an artifact headless in qemu and watches its serial console until userspace answers,
// the boot fails, or time runs out. The console log is kept next to the artifact.
import { access, copyFile, mkdtemp, open, readFile, rm, constants } from 'node:fs/promises';
import { tmpdir, platform } from 'node:os';
import { basename, join } from 'node:path';
import { execa } from 'execa';
import { AppError } from '../../src-shared/errors/app-error.js';
import type { JobResult } from '../../src-shared/jobs/job-events.js';
import { cancelledError, type JobContext } from '../jobs/job-context.js';
import { mediaFor, qemuArgs, type Accel, type Firmware } from './qemu-command.js';
import { SerialWatcher } from './serial-verdict.js';

export interface BootTestRequest {
  readonly artifact: string;
  readonly firmware: Firmware;
  readonly timeoutSeconds?: number;
  readonly accel?: Accel | 'auto';
  /** Where the serial console is saved; default: <artifact>.<firmware>.boot.log */
  readonly logFile?: string;
}

const OVMF_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['/usr/share/OVMF/OVMF_CODE_4M.fd', '/usr/share/OVMF/OVMF_VARS_4M.fd'],
  ['/usr/share/OVMF/OVMF_CODE.fd', '/usr/share/OVMF/OVMF_VARS.fd'],
  ['/usr/share/edk2/ovmf/OVMF_CODE.fd', '/usr/share/edk2/ovmf/OVMF_VARS.fd'],
  ['/usr/share/qemu/edk2-x86_64-code.fd', '/usr/share/qemu/edk2-i386-vars.fd'],
  ['/opt/homebrew/share/qemu/edk2-x86_64-code.fd', '/opt/homebrew/share/qemu/edk2-i386-vars.fd'],
  ['/usr/local/share/qemu/edk2-x86_64-code.fd', '/usr/local/share/qemu/edk2-i386-vars.fd'],
];

async function readable(path: string): Promise<boolean> {
  try {
    await access(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

export async function findOvmf(): Promise<readonly [string, string] | undefined> {
  for (const pair of OVMF_PAIRS) {
    if ((await readable(pair[0])) && (await readable(pair[1]))) return pair;
  }
  return undefined;
}

/**
 * KVM only with hardware virtualisation (kvm_intel / kvm_amd loaded): other KVM flavours (such
 * as the paravirtual PVM of some cloud VMs) accept guests and then run them hours slow.
 */
export async function detectAccel(): Promise<Accel> {
  if (platform() !== 'linux') return 'tcg';
  try {
    await access('/dev/kvm', constants.R_OK | constants.W_OK);
  } catch {
    return 'tcg';
  }
  const modules = await readFile('/proc/modules', 'utf8').catch(() => '');
  return /^kvm_(intel|amd) /m.test(modules) ? 'kvm' : 'tcg';
}

async function qemuBinary(): Promise<string> {
  const name = 'qemu-system-x86_64';
  try {
    await execa(name, ['--version']);
    return name;
  } catch {
    throw new AppError('qemu-missing', 'qemu-system-x86_64 is not installed', {
      hint: platform() === 'darwin' ? 'Install it with `brew install qemu`' : 'Install it: `sudo apt-get install qemu-system-x86 ovmf` (Debian/Ubuntu) or `sudo dnf install qemu-system-x86 edk2-ovmf` (Fedora)',
    });
  }
}

export async function runBootTest(request: BootTestRequest, ctx: JobContext): Promise<JobResult> {
  const started = performance.now();
  if (!(await readable(request.artifact))) {
    throw new AppError('boot-failed', `Cannot read ${request.artifact}`, { hint: 'Check the path of the artifact to boot' });
  }
  const binary = await qemuBinary();
  const accel = request.accel === undefined || request.accel === 'auto' ? await detectAccel() : request.accel;
  const timeoutMs = (request.timeoutSeconds ?? 300) * 1000;
  const logFile = request.logFile ?? `${request.artifact}.${request.firmware}.boot.log`;
  const scratch = await mkdtemp(join(tmpdir(), 'kf-boot-'));
  try {
    let ovmfCode: string | undefined;
    let ovmfVars: string | undefined;
    if (request.firmware === 'uefi') {
      const ovmf = await findOvmf();
      if (!ovmf) {
        throw new AppError('qemu-missing', 'No OVMF (UEFI firmware for qemu) found', {
          hint: 'Install it: `sudo apt-get install ovmf` (Debian/Ubuntu) or `sudo dnf install edk2-ovmf` (Fedora)',
        });
      }
      ovmfCode = ovmf[0];
      ovmfVars = join(scratch, 'OVMF_VARS.fd');
      await copyFile(ovmf[1], ovmfVars);
    }
    await rm(logFile, { force: true });
    const args = qemuArgs({
      artifact: request.artifact,
      media: mediaFor(request.artifact),
      firmware: request.firmware,
      accel,
      serialLog: logFile,
      ...(ovmfCode ? { ovmfCode } : {}),
      ...(ovmfVars ? { ovmfVars } : {}),
    });
    ctx.log('boot-test', `Booting ${basename(request.artifact)} (${request.firmware.toUpperCase()}, ${accel}); console log: ${logFile}`);
    ctx.detail('boot-test', `${binary} ${args.join(' ')}`);

    const child = execa(binary, args, { stdin: 'ignore', reject: false, cancelSignal: ctx.signal, forceKillAfterDelay: 2000 });
    const watcher = new SerialWatcher();
    // No total: how long a boot takes is unknown; the timeout is a limit, not an estimate.
    const meter = ctx.meter('boot-test', `boot ${request.firmware}`, 'steps');
    let exited = false;
    void child.then(() => {
      exited = true;
    });

    let offset = 0;
    const readNew = async (): Promise<void> => {
      const handle = await open(logFile, 'r').catch(() => undefined);
      if (!handle) return;
      try {
        const buffer = Buffer.alloc(64 * 1024);
        for (;;) {
          const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
          if (bytesRead === 0) break;
          offset += bytesRead;
          const text = buffer.subarray(0, bytesRead).toString('utf8');
          for (const line of text.split(/\r?\n/)) if (line.trim() !== '') ctx.detail('boot-test', line);
          watcher.feed(text);
        }
      } finally {
        await handle.close();
      }
    };

    try {
      while (!watcher.verdict) {
        await new Promise((r) => setTimeout(r, 500));
        await readNew();
        const elapsed = performance.now() - started;
        meter.update(Math.floor(elapsed / 1000), `waiting for userspace (${Math.floor(elapsed / 1000)} s of ${Math.round(timeoutMs / 1000)} s)`);
        if (watcher.verdict) break;
        if (ctx.signal.aborted) throw cancelledError();
        if (exited) {
          await readNew();
          if (watcher.verdict) break;
          const result = await child;
          throw new AppError('boot-failed', `qemu ended before the system booted (exit ${result.exitCode ?? 'signal'}): ${lastLine(result.stderr) || 'no message'}`, {
            hint: `See the console log ${logFile}`,
            logFile,
          });
        }
        if (elapsed > timeoutMs) {
          throw new AppError('boot-timeout', `No userspace after ${Math.round(timeoutMs / 1000)} s`, {
            hint: `See the console log ${logFile}; allow longer with --timeout, or check the kernel command line`,
            logFile,
          });
        }
      }
    } finally {
      child.kill('SIGTERM');
      await child;
    }
    const verdict = watcher.verdict;
    if (verdict?.status === 'failed') {
      throw new AppError('boot-failed', `Boot failed: ${verdict.reason} ("${verdict.line.slice(0, 120)}")`, {
        hint: `See the console log ${logFile}`,
        logFile,
      });
    }
    meter.finish('userspace reached');
    const seconds = (performance.now() - started) / 1000;
    ctx.log('boot-test', `Userspace reached in ${seconds.toFixed(0)} s: ${verdict?.line ?? ''}`);
    return { message: `booted (${request.firmware}): ${verdict?.line ?? ''}`, seconds };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

function lastLine(text: string | undefined): string {
  return (text ?? '').trim().split('\n').pop() ?? '';
}
