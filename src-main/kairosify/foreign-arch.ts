// Building for another architecture (arm64 on an amd64 machine) runs the image's programs under
// emulation: Docker needs qemu-user registered with binfmt_misc (Debian's qemu-user-static), or
// Docker Desktop's built-in emulation. Checked once, up front, with a tiny container of the
// source image, so a missing emulator is a clear message and not a cryptic failure at step 3.
import type Docker from 'dockerode';
import { AppError } from '../../src-shared/errors/app-error.js';
import type { Arch } from '../../src-shared/recipe/catalog.js';
import type { JobContext } from '../jobs/job-context.js';
import { runScript } from '../docker/run-in-image.js';

/** Docker's and the kernel's names for an architecture, as the recipe names it. */
export function normalizeArch(name: string): string {
  const map: Record<string, string> = { x86_64: 'amd64', amd64: 'amd64', aarch64: 'arm64', arm64: 'arm64', armv7l: 'arm', arm: 'arm' };
  return map[name] ?? name;
}

export function binfmtHint(arch: Arch): string {
  const qemu = arch === 'arm64' ? 'aarch64' : arch;
  return (
    `Install the emulator: \`sudo apt-get install qemu-user-static binfmt-support\` (Debian/Ubuntu) or \`sudo dnf install qemu-user-static\` (Fedora); ` +
    `check with \`ls /proc/sys/fs/binfmt_misc/qemu-${qemu}\`. Docker Desktop emulates ${arch} by itself.`
  );
}

/** Makes sure the engine can run the source image's programs when the recipe's arch is foreign. */
export async function ensureArchRuns(docker: Docker, sourceRef: string, arch: Arch, ctx: JobContext): Promise<void> {
  const engineArch = normalizeArch(((await docker.info()) as { Architecture?: string }).Architecture ?? '');
  if (engineArch === arch) return;
  const image = await docker.getImage(sourceRef).inspect();
  const imageArch = normalizeArch(image.Architecture);
  if (imageArch !== arch) {
    throw new AppError('recipe-invalid', `The base image ${sourceRef} is ${imageArch}, but the recipe builds ${arch}`, {
      hint: `Use a ${arch} base image: \`docker pull --platform linux/${arch} ${sourceRef}\`, or one imported for ${arch}`,
    });
  }
  ctx.log('kairosify', `Building ${arch} on an ${engineArch} engine: its programs run under emulation (slower)`);
  const probe = await runScript(docker, image.Id, 'true', ctx).catch((error: unknown) => ({ exitCode: -1, output: (error as Error).message }));
  if (probe.exitCode !== 0) {
    const reason = /exec format error/i.test(probe.output) ? 'exec format error' : probe.output.trim().split('\n').pop() || `exit ${probe.exitCode}`;
    throw new AppError('build-failed', `This machine cannot run ${arch} programs, which building an ${arch} image needs (${reason})`, { hint: binfmtHint(arch) });
  }
}
