// The netboot boot test: serves a netboot folder over HTTP on loopback for the test's duration and
// boots it in qemu through the network card's own iPXE ROM (BIOS), as a machine on a LAN would:
// qemu's user-network DHCP hands iPXE the script's URL, the guest reaches the host as 10.0.2.2,
// and the initrd fetches the squashfs from the same server. The folder may have been built for
// another URL (netboot.url) or for none: the script is served with its "set base" line pinned to
// this server (the file itself is not changed), so every file comes from here.
import { access, constants, readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { AppError, isAppError } from '../../src-shared/errors/app-error.js';
import type { JobResult } from '../../src-shared/jobs/job-events.js';
import { formatBytes } from '../../src-shared/util/format.js';
import { pinScriptBase } from '../artifacts/netboot-script.js';
import type { JobContext } from '../jobs/job-context.js';
import { fileNameOf, serveFolder } from './netboot-server.js';
import { runBootTest, type BootTestRequest } from './run-boot-test.js';

/** The host as a qemu guest on its user network sees it. */
export const QEMU_HOST = '10.0.2.2';

export interface NetbootTestRequest extends Omit<BootTestRequest, 'artifact' | 'firmware' | 'secureBoot' | 'netbootUrl'> {
  /** The netboot folder, its .ipxe script, or any file in the folder. */
  readonly artifact: string;
}

/** Where qemu's iPXE ROM for its virtio network card may be: qemu finds it on its own firmware path. */
const IPXE_ROMS: ReadonlyArray<string> = [
  '/usr/lib/ipxe/qemu/efi-virtio.rom', // Debian, Ubuntu: ipxe-qemu
  '/usr/share/qemu/efi-virtio.rom', // Fedora (ipxe-roms-qemu), Arch, source builds
  '/usr/share/ipxe/qemu/efi-virtio.rom',
  '/usr/local/share/qemu/efi-virtio.rom',
  '/opt/homebrew/share/qemu/efi-virtio.rom', // macOS, Homebrew's qemu
];

export async function findIpxeRom(): Promise<string | undefined> {
  for (const rom of IPXE_ROMS) {
    if (await access(rom, constants.R_OK).then(() => true, () => false)) return rom;
  }
  return undefined;
}

/** Guest memory: the initrd keeps the fetched squashfs in RAM beside the running system. */
export function netbootMemoryMiB(squashfsBytes: number): number {
  return Math.max(2048, Math.ceil((squashfsBytes / (1024 * 1024) + 1536) / 256) * 256);
}

/** The folder and its script from what the user named: the folder, the script, or a file beside it. */
export async function findNetbootScript(path: string): Promise<{ readonly folder: string; readonly script: string }> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new AppError('boot-failed', `Cannot read ${path}`, { hint: 'Name the netboot folder (<name>-netboot) or its .ipxe script' });
  if (info.isFile() && path.endsWith('.ipxe')) return { folder: dirname(path), script: basename(path) };
  const folder = info.isDirectory() ? path : dirname(path);
  const scripts = (await readdir(folder)).filter((f) => f.endsWith('.ipxe')).sort();
  if (scripts.length === 1) return { folder, script: scripts[0]! };
  throw new AppError('bad-request', scripts.length === 0 ? `No .ipxe script in ${folder}` : `Several .ipxe scripts in ${folder}: ${scripts.join(', ')}`, {
    hint: scripts.length === 0 ? 'Name a netboot folder built by kairos-factory (artifact netboot)' : 'Name the script to boot instead of the folder',
  });
}

/** What the server saw of the boot, for a failure's hint: which step never asked for its file. */
export function netbootDiagnosis(fetched: ReadonlySet<string>, script: string, files: { readonly kernel: string; readonly initrd: string; readonly squashfs: string }): string | undefined {
  if (!fetched.has(script)) return `iPXE never fetched ${script}: did the network card's iPXE ROM start (ipxe-qemu)?`;
  if (!fetched.has(files.kernel) || !fetched.has(files.initrd)) return `iPXE fetched ${script} but not the kernel and initrd it names: see the iPXE messages in the console log`;
  if (!fetched.has(files.squashfs)) {
    return (
      `the kernel started but its initrd never fetched ${files.squashfs}: dracut's livenet runs only from a network module that calls netroot ` +
      "(network-legacy or network-manager; Debian's dracut 059 systemd-networkd module does not)"
    );
  }
  return undefined;
}

export async function runNetbootTest(request: NetbootTestRequest, ctx: JobContext): Promise<JobResult> {
  const { folder, script } = await findNetbootScript(resolve(request.artifact));
  if (!(await findIpxeRom())) {
    throw new AppError('qemu-missing', "No iPXE ROM for qemu's network card (efi-virtio.rom)", {
      hint: 'Install it: `sudo apt-get install ipxe-qemu` (Debian/Ubuntu) or `sudo dnf install ipxe-roms-qemu` (Fedora)',
    });
  }
  const text = await readFile(join(folder, script), 'utf8');
  const name = script.replace(/\.ipxe$/, '');
  const files = { kernel: `${name}-kernel`, initrd: `${name}-initrd`, squashfs: `${name}.squashfs` };
  const squashfs = await stat(join(folder, files.squashfs)).catch(() => undefined);
  if (!squashfs?.isFile()) {
    throw new AppError('boot-failed', `No ${files.squashfs} beside ${script} in ${folder}`, { hint: 'Boot a complete netboot folder (build the netboot artifact again)' });
  }

  const overrides = new Map<string, string>();
  const fetched = new Set<string>();
  const server = await serveFolder({
    folder,
    overrides,
    onRequest: (r) => {
      const file = fileNameOf(r.path);
      if (file !== undefined && r.status < 300) fetched.add(file);
      ctx.detail('boot-test', `[http] ${r.method} ${r.path} ${r.status}${r.bytes ? ` ${formatBytes(r.bytes)}` : ''}`);
    },
  });
  try {
    const base = server.urlFor(QEMU_HOST);
    const pinned = pinScriptBase(text, base);
    if (pinned === undefined) {
      throw new AppError('boot-failed', `${script} has no "set base" line: not a netboot script made by kairos-factory`, { hint: 'Build the netboot artifact with kairos-factory' });
    }
    overrides.set(script, pinned);
    ctx.log('boot-test', `Serving ${folder} at http://127.0.0.1:${server.port}/ (the guest's ${base}) for this test; ${script} with its base set to that URL`);
    return await bootWithDiagnosis(
      {
        ...request,
        artifact: join(folder, script),
        firmware: 'bios',
        netbootUrl: `${base}${encodeURIComponent(script)}`,
        // Beside the folder, which stays as it was built.
        logFile: request.logFile ?? `${folder.replace(/\/+$/, '')}.netboot.boot.log`,
        memoryMiB: request.memoryMiB ?? netbootMemoryMiB(squashfs.size),
      },
      () => netbootDiagnosis(fetched, script, files),
      ctx,
    );
  } finally {
    await server.close();
  }
}

/** runBootTest, whose failure also says which file the server never handed out. */
async function bootWithDiagnosis(request: BootTestRequest, diagnose: () => string | undefined, ctx: JobContext): Promise<JobResult> {
  try {
    return await runBootTest(request, ctx);
  } catch (error) {
    const diagnosis = isAppError(error) && (error.code === 'boot-timeout' || error.code === 'boot-failed') ? diagnose() : undefined;
    if (!diagnosis || !isAppError(error)) throw error;
    throw new AppError(error.code, `${error.message}; ${diagnosis}`, {
      ...(error.hint !== undefined ? { hint: error.hint } : {}),
      ...(error.logFile !== undefined ? { logFile: error.logFile } : {}),
      cause: error,
    });
  }
}
