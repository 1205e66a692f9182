// Boots an artifact headless in qemu and watches its serial console until userspace answers,
// the boot fails, or time runs out; on request it checks the hostname and logs in on that
// console. The console log is kept next to the artifact.
import { access, copyFile, mkdtemp, open, readFile, rename, rm, stat, constants } from 'node:fs/promises';
import { tmpdir, platform } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { execa } from 'execa';
import { AppError } from '../../src-shared/errors/app-error.js';
import type { JobResult } from '../../src-shared/jobs/job-events.js';
import { cancelledError, type JobContext } from '../jobs/job-context.js';
import { mediaFor, qemuArgs, sdCardSize, type Accel, type Firmware, type Machine } from './qemu-command.js';
import { bootPartition, imageArch } from './artifact-arch.js';
import { SerialWatcher } from './serial-verdict.js';
import { ConsoleSocket } from './console-socket.js';
import { LoginDialogue, type LoginCredentials, type LoginOutcome } from './login-dialogue.js';
import { LineSplitter, Utf8Chunks } from '../util/line-splitter.js';

export interface BootTestRequest {
  readonly artifact: string;
  readonly firmware: Firmware;
  readonly timeoutSeconds?: number;
  readonly accel?: Accel | 'auto';
  /** Where the serial console is saved; default: <artifact>.<firmware>.boot.log */
  readonly logFile?: string;
  /**
   * UEFI with Secure Boot enforced, starting in Setup Mode (no keys): the medium must enrol its
   * own keys (a UKI ISO built with trustedBoot.enroll: force), and the test then passes only if
   * the kernel reports Secure Boot enabled.
   */
  readonly secureBoot?: boolean;
  /** Guest memory; default 2 GiB, more for a UKI ISO, whose initrd holds the whole system. */
  readonly memoryMiB?: number;
  /** Netboot: no medium, qemu's iPXE ROM boots this URL (netboot-test.ts serves the folder). */
  readonly netbootUrl?: string;
  /** What the booted system must also show: its cloud-config applied. */
  readonly expect?: BootExpectations;
  /**
   * raspi3b: a Raspberry Pi 3 B started at the SD card's own U-Boot; virt: qemu's arm64 UEFI
   * machine. Default: from the artifact's architecture (an arm64 EFI loader means virt).
   */
  readonly machine?: 'virt' | 'raspi3b';
}

export interface BootExpectations {
  /** The login prompt's hostname: a regular expression the whole name must match. */
  readonly hostname?: string;
  /** A user who must be able to log in on the serial console with this password. */
  readonly login?: LoginCredentials;
}

/** Where the console log goes by default: next to the artifact, or for a device in the temp folder. */
export function defaultLogFile(artifact: string, mode: string): string {
  const name = `${basename(artifact)}.${mode}.boot.log`;
  return artifact.startsWith('/dev/') ? join(tmpdir(), name) : `${artifact}.${mode}.boot.log`;
}

/** Secure Boot builds of OVMF with a variables store in Setup Mode (no keys enrolled). */
const OVMF_SECBOOT_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['/usr/share/OVMF/OVMF_CODE_4M.secboot.fd', '/usr/share/OVMF/OVMF_VARS_4M.fd'],
  ['/usr/share/OVMF/OVMF_CODE.secboot.fd', '/usr/share/OVMF/OVMF_VARS.fd'],
  ['/usr/share/edk2/ovmf/OVMF_CODE.secboot.fd', '/usr/share/edk2/ovmf/OVMF_VARS.fd'],
  ['/usr/share/qemu/edk2-x86_64-secure-code.fd', '/usr/share/qemu/edk2-i386-vars.fd'],
  ['/opt/homebrew/share/qemu/edk2-x86_64-secure-code.fd', '/opt/homebrew/share/qemu/edk2-i386-vars.fd'],
];

/** What systemd-boot prints when it enrols keys, before it resets the machine. */
const ENROLLING = /Enrolling secure boot keys/i;
/** What the kernel prints when the firmware booted it with Secure Boot enforced. */
const SECURE_BOOT_ON = /secureboot: Secure boot enabled/;
/** What OVMF and systemd-boot print when a signature check fails. */
const SECURITY_VIOLATION = /Security Violation|Access Denied/i;

/** Memory for a UKI ISO: its initrd is the compressed system, unpacked into RAM next to itself. */
export async function defaultMemoryMiB(artifact: string): Promise<number> {
  if (!/\.uki\.iso$/i.test(artifact)) return 2048;
  const size = (await stat(artifact)).size / (1024 * 1024);
  return Math.max(2048, Math.ceil((size * 5 + 1024) / 256) * 256);
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

export async function findOvmf(secureBoot = false): Promise<readonly [string, string] | undefined> {
  for (const pair of secureBoot ? OVMF_SECBOOT_PAIRS : OVMF_PAIRS) {
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

async function qemuBinary(arm: boolean): Promise<string> {
  const name = arm ? 'qemu-system-aarch64' : 'qemu-system-x86_64';
  try {
    await execa(name, ['--version']);
    return name;
  } catch {
    const install = arm
      ? 'Install it: `sudo apt-get install qemu-system-arm qemu-efi-aarch64` (Debian/Ubuntu) or `sudo dnf install qemu-system-aarch64 edk2-aarch64` (Fedora)'
      : 'Install it: `sudo apt-get install qemu-system-x86 ovmf` (Debian/Ubuntu) or `sudo dnf install qemu-system-x86 edk2-ovmf` (Fedora)';
    throw new AppError('qemu-missing', `${name} is not installed`, { hint: platform() === 'darwin' ? 'Install it with `brew install qemu`' : install });
  }
}

/** AAVMF: UEFI for qemu's arm64 virt machine (code, and the variables template copied per run). */
const AAVMF_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['/usr/share/AAVMF/AAVMF_CODE.fd', '/usr/share/AAVMF/AAVMF_VARS.fd'],
  ['/usr/share/edk2/aarch64/QEMU_EFI-pflash.raw', '/usr/share/edk2/aarch64/vars-template-pflash.raw'],
  ['/usr/share/qemu/edk2-aarch64-code.fd', '/usr/share/qemu/edk2-arm-vars.fd'],
  ['/opt/homebrew/share/qemu/edk2-aarch64-code.fd', '/opt/homebrew/share/qemu/edk2-arm-vars.fd'],
  ['/usr/local/share/qemu/edk2-aarch64-code.fd', '/usr/local/share/qemu/edk2-arm-vars.fd'],
];

export async function findAavmf(): Promise<readonly [string, string] | undefined> {
  for (const pair of AAVMF_PAIRS) {
    if ((await readable(pair[0])) && (await readable(pair[1]))) return pair;
  }
  return undefined;
}

/** The machine for a request: asked for, or from the image's EFI loader (arm64: virt). */
async function pickMachine(request: BootTestRequest): Promise<Machine> {
  if (request.netbootUrl !== undefined) return 'pc';
  const arch = await imageArch(request.artifact).catch(() => undefined);
  if (request.machine !== undefined && arch === 'amd64') {
    throw new AppError('bad-request', `${basename(request.artifact)} is an amd64 image; the ${request.machine} machine boots arm64 ones`, { hint: 'Boot it with BIOS or UEFI' });
  }
  if (request.machine) return request.machine;
  return arch === 'arm64' ? 'virt' : 'pc';
}

/** What qemu needs to start a Pi 3 from a card: U-Boot and the DTB from its boot partition, and the card as an overlay of a power-of-two size. */
async function raspi3bFiles(artifact: string, scratch: string): Promise<{ uboot: string; dtb: string; card: string }> {
  const part = await bootPartition(artifact);
  if (!part) throw new AppError('boot-failed', `${basename(artifact)} has no FAT boot partition`, { hint: 'Boot a Raspberry Pi SD card made by the rpi artifact' });
  const uboot = join(scratch, 'u-boot.bin');
  const dtb = join(scratch, 'bcm2837-rpi-3-b.dtb');
  try {
    for (const [name, dest] of [['u-boot.bin', uboot], ['bcm2837-rpi-3-b.dtb', dtb]] as const) {
      await execa('mcopy', ['-n', '-i', `${artifact}@@${part.startBytes}`, `::/${name}`, dest]);
    }
  } catch (error) {
    const missing = (error as { code?: string }).code === 'ENOENT';
    throw new AppError(missing ? 'qemu-missing' : 'boot-failed', missing ? 'mtools is not installed (it reads the card\'s boot partition)' : `The card's boot partition lacks U-Boot or the Pi 3 B device tree: ${lastLine((error as { stderr?: string }).stderr)}`, {
      hint: missing ? 'Install it: `sudo apt-get install mtools` (Debian/Ubuntu), `brew install mtools` (macOS)' : 'Build the card with model rpi3',
    });
  }
  const card = join(scratch, 'card.qcow2');
  const size = sdCardSize((await stat(artifact)).size);
  await execa('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', 'raw', '-b', resolve(artifact), card, String(size)]).catch((error: unknown) => {
    throw new AppError('qemu-missing', `qemu-img could not make the card's overlay: ${(error as Error).message.split('\n')[0]}`, { hint: 'Install qemu-img: `sudo apt-get install qemu-utils`' });
  });
  return { uboot, dtb, card };
}

/** The kernel's partition scan of the SD card: "mmcblk0: p1 p2 p3". */
const SD_CARD_FOUND = /mmcblk\d+: p1\b/;

export async function runBootTest(request: BootTestRequest, ctx: JobContext): Promise<JobResult> {
  const started = performance.now();
  if (!(await readable(request.artifact))) {
    throw new AppError('boot-failed', `Cannot read ${request.artifact}`, { hint: 'Check the path of the artifact to boot' });
  }
  if (request.secureBoot && request.firmware !== 'uefi') {
    throw new AppError('recipe-invalid', 'Secure Boot needs UEFI firmware', { hint: 'Choose UEFI firmware for a Secure Boot test' });
  }
  const machine = await pickMachine(request);
  const arm = machine !== 'pc';
  if (arm && request.secureBoot) throw new AppError('bad-request', 'The Secure Boot test is for amd64 media', { hint: 'Boot arm64 media with UEFI (virt)' });
  const binary = await qemuBinary(arm);
  const sameCpu = arm === (process.arch === 'arm64');
  // Another CPU than this machine's is always emulated (TCG); a Pi 3 too.
  const accel = !sameCpu || machine === 'raspi3b' ? 'tcg' : request.accel === undefined || request.accel === 'auto' ? await detectAccel() : request.accel;
  // Emulation (TCG) is slow, and slower still on a busy machine: a Debian live ISO reaches its
  // login in about two minutes on two idle cores, so 600 s leaves room for a loaded one (300 s was
  // missed once in CI). A Pi 3's U-Boot also reads the kernel from the card slowly.
  const timeoutMs = (request.timeoutSeconds ?? (machine === 'raspi3b' ? 1200 : accel === 'tcg' ? 600 : 300)) * 1000;
  const mode = request.netbootUrl !== undefined ? 'netboot' : request.secureBoot ? 'secureboot' : machine === 'raspi3b' ? 'rpi3' : machine === 'virt' ? 'virt' : request.firmware;
  const logFile = request.logFile ?? defaultLogFile(request.artifact, mode);
  const scratch = await mkdtemp(join(tmpdir(), 'kf-boot-'));
  try {
    let ovmfCode: string | undefined;
    let ovmfVars: string | undefined;
    let pi: { uboot: string; dtb: string; card: string } | undefined;
    if (machine === 'raspi3b') {
      pi = await raspi3bFiles(request.artifact, scratch);
    } else if (machine === 'virt') {
      const aavmf = await findAavmf();
      if (!aavmf) {
        throw new AppError('qemu-missing', 'No AAVMF (UEFI firmware for qemu\'s arm64 machine) found', {
          hint: 'Install it: `sudo apt-get install qemu-efi-aarch64` (Debian/Ubuntu) or `sudo dnf install edk2-aarch64` (Fedora)',
        });
      }
      ovmfCode = aavmf[0];
      ovmfVars = join(scratch, 'AAVMF_VARS.fd');
      await copyFile(aavmf[1], ovmfVars);
    } else if (request.firmware === 'uefi') {
      const ovmf = await findOvmf(request.secureBoot);
      if (!ovmf) {
        throw new AppError('qemu-missing', `No OVMF (UEFI firmware for qemu)${request.secureBoot ? ' with Secure Boot' : ''} found`, {
          hint: 'Install it: `sudo apt-get install ovmf` (Debian/Ubuntu) or `sudo dnf install edk2-ovmf` (Fedora)',
        });
      }
      ovmfCode = ovmf[0];
      // A private copy per run: enrolled keys and boot entries never leak into the next test.
      ovmfVars = join(scratch, 'OVMF_VARS.fd');
      await copyFile(ovmf[1], ovmfVars);
    }
    await rm(logFile, { force: true });
    const args = qemuArgs({
      // Absolute: qemu reads "name:" at the start of a relative path as a protocol.
      artifact: pi ? pi.card : resolve(request.artifact),
      media: mediaFor(request.artifact),
      firmware: machine === 'virt' ? 'uefi' : request.firmware,
      machine,
      ...(pi ? { uboot: pi.uboot, dtb: pi.dtb } : {}),
      accel,
      serialLog: logFile,
      // In the private folder: a socket's path must be short (about 100 bytes).
      serialSocket: join(scratch, 'console'),
      memoryMiB: request.memoryMiB ?? (await defaultMemoryMiB(request.artifact)),
      ...(ovmfCode ? { ovmfCode } : {}),
      ...(ovmfVars ? { ovmfVars } : {}),
      ...(request.secureBoot ? { secureBoot: true } : {}),
      ...(request.netbootUrl !== undefined ? { netbootUrl: request.netbootUrl } : {}),
    });
    const label = request.netbootUrl !== undefined ? `netboot from ${request.netbootUrl}` : request.secureBoot ? 'UEFI Secure Boot' : machine === 'raspi3b' ? "Raspberry Pi 3 B, the card's own U-Boot" : machine === 'virt' ? 'arm64 UEFI, virt' : request.firmware.toUpperCase();
    ctx.log('boot-test', `Booting ${basename(request.artifact)} (${label}, ${accel}); console log: ${logFile}`);
    const expect = request.expect ?? {};
    if (expect.hostname !== undefined || expect.login) {
      const what = [expect.hostname !== undefined ? `the hostname ${expect.hostname}` : '', expect.login ? `a login as ${expect.login.user}` : ''];
      ctx.log('boot-test', `Expecting ${what.filter(Boolean).join(' and ')} on the console`);
    }
    ctx.detail('boot-test', `${binary} ${args.join(' ')}`);
    // No total: how long a boot takes is unknown; the timeout is a limit, not an estimate.
    const meter = ctx.meter('boot-test', `boot ${mode}`, 'steps');

    let text = '';
    let verdict: ReturnType<SerialWatcher['feed']> | undefined;
    let login: LoginOutcome | undefined;
    // Secure Boot starts in Setup Mode: the first boot enrols the medium's keys and resets
    // (which ends qemu, run with -no-reboot); the second boot, same variables, is the test.
    for (let boot = 1; ; boot++) {
      const outcome = await bootOnce({ binary, args, logFile, socket: join(scratch, 'console'), expect, started, timeoutMs, meter }, ctx);
      text = outcome.text;
      verdict = outcome.verdict;
      login = outcome.login;
      if (request.secureBoot && SECURITY_VIOLATION.test(text) && verdict?.status !== 'passed') {
        throw new AppError('boot-failed', 'The firmware refused to start the medium: its signature does not match the enrolled keys', {
          hint: `See the console log ${logFile}; the medium must be signed by the keys it enrols`,
          logFile,
        });
      }
      if (outcome.exit && request.secureBoot && boot === 1 && ENROLLING.test(text)) {
        const enrolLog = logFile.replace(/(\.log)?$/, '.enrol.log');
        await rename(logFile, enrolLog);
        ctx.log('boot-test', `Secure Boot keys enrolled by the medium (console: ${enrolLog}); booting again with Secure Boot enforced`);
        continue;
      }
      if (outcome.exit) {
        const hint = request.secureBoot && boot === 1 ? '; a medium that enrols its own keys needs trustedBoot.enroll: force' : '';
        throw new AppError('boot-failed', `qemu ended before the system booted (exit ${outcome.exit.exitCode ?? 'signal'}): ${lastLine(outcome.exit.stderr) || 'no message'}`, {
          hint: `See the console log ${logFile}${hint}`,
          logFile,
        });
      }
      break;
    }
    if (verdict?.status === 'failed') {
      throw new AppError('boot-failed', `Boot failed: ${verdict.reason} ("${verdict.line.slice(0, 120)}")`, {
        hint: `See the console log ${logFile}`,
        logFile,
      });
    }
    if (login?.status === 'failed') {
      throw new AppError('boot-failed', `The system booted, but the login on its console failed: ${login.reason}`, {
        hint: `See the console log ${logFile}; check the cloud-config's users (name and passwd)`,
        logFile,
      });
    }
    if (machine === 'raspi3b' && !SD_CARD_FOUND.test(text)) {
      throw new AppError('boot-failed', 'The system booted, but its kernel never listed the SD card\'s partitions (mmcblk0: p1 ...)', {
        hint: `See the console log ${logFile}`,
        logFile,
      });
    }
    if (request.secureBoot && !SECURE_BOOT_ON.test(text)) {
      throw new AppError('boot-failed', 'The system booted, but without Secure Boot enforced', {
        hint: `See the console log ${logFile}: the kernel did not report "Secure boot enabled"`,
        logFile,
      });
    }
    meter.finish('userspace reached');
    const seconds = (performance.now() - started) / 1000;
    const loggedIn = login && expect.login ? `; logged in as ${expect.login.user} (${login.line})` : '';
    ctx.log('boot-test', `Userspace reached in ${seconds.toFixed(0)} s${request.secureBoot ? ' with Secure Boot enforced' : ''}: ${verdict?.line ?? ''}${loggedIn}`);
    return { message: `booted (${mode}): ${verdict?.line ?? ''}${loggedIn}`, seconds };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

interface BootOutcome {
  readonly text: string;
  readonly verdict: ReturnType<SerialWatcher['feed']> | undefined;
  readonly login?: LoginOutcome;
  /** Set when qemu ended before a verdict. */
  readonly exit?: { readonly exitCode: number | undefined; readonly stderr: string };
}

interface BootRun {
  readonly binary: string;
  readonly args: ReadonlyArray<string>;
  readonly logFile: string;
  /** qemu's two-way serial console, for the login. */
  readonly socket: string;
  readonly expect: BootExpectations;
  readonly started: number;
  readonly timeoutMs: number;
  readonly meter: ReturnType<JobContext['meter']>;
}

/**
 * One qemu run: watches the serial log (and logs in, when asked) until a verdict, qemu's end,
 * the timeout or cancel.
 */
async function bootOnce(run: BootRun, ctx: JobContext): Promise<BootOutcome> {
  const { logFile, expect, started, timeoutMs, meter } = run;
  const child = execa(run.binary, run.args, { stdin: 'ignore', reject: false, cancelSignal: ctx.signal, forceKillAfterDelay: 2000 });
  const watcher = new SerialWatcher(expect.hostname !== undefined ? { hostname: expect.hostname } : {});
  const dialogue = expect.login ? new LoginDialogue(expect.login, expect.hostname !== undefined ? { hostname: expect.hostname } : {}) : undefined;
  const keyboard = new ConsoleSocket(run.socket);
  const toType: Array<{ readonly keys: string; readonly secret: boolean }> = [];
  let exited = false;
  void child.then(() => {
    exited = true;
  });
  let text = '';
  let offset = 0;
  // Reads end anywhere, also inside a UTF-8 character (systemd's ●, a firmware's box drawing).
  const decoder = new Utf8Chunks();
  const lines = new LineSplitter();
  const readNew = async (): Promise<void> => {
    const handle = await open(logFile, 'r').catch(() => undefined);
    if (!handle) return;
    try {
      const buffer = Buffer.alloc(64 * 1024);
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
        if (bytesRead === 0) break;
        offset += bytesRead;
        const bytes = buffer.subarray(0, bytesRead);
        const chunk = decoder.write(bytes);
        for (const line of lines.push(bytes)) if (line.trim() !== '') ctx.detail('boot-test', line);
        text += chunk;
        watcher.feed(chunk);
        if (dialogue) {
          const before = dialogue.step;
          const keys = dialogue.feed(chunk).type;
          if (keys !== undefined) toType.push({ keys, secret: before === 'password prompt' && dialogue.step === 'shell prompt' });
        }
      }
    } finally {
      await handle.close();
    }
  };
  // A failed boot ends at once; a passed one once the login (when asked) is over too.
  const finished = (): boolean => watcher.verdict?.status === 'failed' || (watcher.verdict !== undefined && (!dialogue || dialogue.outcome !== undefined));
  const outcome = (): BootOutcome => ({ text, verdict: watcher.verdict, ...(dialogue?.outcome ? { login: dialogue.outcome } : {}) });

  try {
    while (!finished()) {
      await new Promise((r) => setTimeout(r, 500));
      await readNew();
      for (const { keys, secret } of toType.splice(0)) {
        // The password is typed, never logged.
        ctx.detail('boot-test', `[console] typing ${secret ? 'the password' : JSON.stringify(keys.trim())}`);
        await keyboard.type(keys, ctx.signal);
      }
      const elapsed = performance.now() - started;
      const waitingFor = watcher.verdict ? `the ${dialogue?.step ?? 'login'}` : 'userspace';
      meter.update(Math.floor(elapsed / 1000), `waiting for ${waitingFor} (${Math.floor(elapsed / 1000)} s of ${Math.round(timeoutMs / 1000)} s)`);
      if (finished()) break;
      if (ctx.signal.aborted) throw cancelledError();
      if (exited) {
        await readNew();
        if (finished()) break;
        const result = await child;
        return { ...outcome(), exit: { exitCode: result.exitCode, stderr: String(result.stderr ?? '') } };
      }
      if (elapsed > timeoutMs) {
        const seconds = Math.round(timeoutMs / 1000);
        throw new AppError(
          'boot-timeout',
          watcher.verdict && dialogue ? `The system booted, but the login as ${expect.login!.user} did not finish in ${seconds} s (waiting for the ${dialogue.step})` : `No userspace after ${seconds} s`,
          { hint: `See the console log ${logFile}; allow a longer timeout, or check the kernel command line`, logFile },
        );
      }
    }
  } finally {
    keyboard.close();
    child.kill('SIGTERM');
    await child;
  }
  return outcome();
}

function lastLine(text: string | undefined): string {
  return (text ?? '').trim().split('\n').pop() ?? '';
}
