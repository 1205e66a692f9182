// kairos-factory: the engine from a terminal. Every command exits 0 on success and, on any
// failure, non-zero with one line that says what went wrong and what to do.
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline/promises';
import { Command, CommanderError, Option } from 'commander';
import { AppError, formatErrorLine, toErrorData } from '../../src-shared/errors/app-error.js';
import type { JobKind, JobResult } from '../../src-shared/jobs/job-events.js';
import { formatRecipeIssue, parseRecipeYaml, validateRecipe } from '../../src-shared/recipe/parse-recipe.js';
import type { Recipe } from '../../src-shared/recipe/recipe-schema.js';
import { parseOsRelease } from '../../src-shared/kairosify/os-release.js';
import { generateDockerfile } from '../../src-shared/kairosify/dockerfile.js';
import { imageTagFor } from '../../src-shared/kairosify/dockerfile-common.js';
import { formatBytes, formatDuration } from '../../src-shared/util/format.js';
import { APP_VERSION } from '../../src-shared/version.js';
import { runBootTest } from '../boot-test/run-boot-test.js';
import { dockerEngine } from '../docker/docker-engine.js';
import { inspectImage } from '../docker/ensure-image.js';
import { validateImage } from '../kairosify/validate-image.js';
import { flashImage } from '../flash/write-image.js';
import type { JobContext } from '../jobs/job-context.js';
import { startJob } from '../jobs/job-runner.js';
import { runBuild } from '../pipeline/build-pipeline.js';
import { dockerfileFor } from '../pipeline/kairosify.js';
import { ProgressView } from './progress-view.js';
import { swapIsoConfig } from '../artifacts/iso/swap-config.js';
import { createApiServer } from '../api/handlers.js';
import { defaultDataDir } from '../api/app-store.js';
import { startWebServer } from '../web/web-server.js';
import { resourcesDir } from '../util/resources.js';
import { dirname, join } from 'node:path';

interface GlobalOptions {
  readonly verbose: boolean;
  readonly json: boolean;
}

/** Exit codes: 0 ok, 1 failure, 2 bad usage or input, 130 cancelled (Ctrl-C). */
const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;
const EXIT_CANCELLED = 130;

async function loadRecipe(path: string): Promise<Recipe> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new AppError('recipe-invalid', `Cannot read recipe ${path}: ${(error as Error).message}`, { hint: 'Check the path' });
  }
  const parsed = parseRecipeYaml(text);
  if (!parsed.ok) {
    const lines = parsed.issues.map((i) => formatRecipeIssue(i, path));
    throw new AppError('recipe-invalid', lines.join('\n'), { hint: 'Fix the field named above (see examples/ for a complete recipe)' });
  }
  return parsed.recipe;
}

/** Runs one job with a progress view; Ctrl-C cancels it and waits for the cleanup. */
async function runWithProgress(kind: JobKind, options: GlobalOptions, work: (ctx: JobContext) => Promise<JobResult>): Promise<JobResult> {
  const view = new ProgressView({ verbose: options.verbose, json: options.json });
  const job = startJob(kind, work, view.handle);
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts++;
    if (interrupts > 1) process.exit(EXIT_CANCELLED);
    view.print('Cancelling… (Ctrl-C again to quit at once)');
    job.cancel();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await job.finished;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question)).trim().toLowerCase() === 'yes';
  } finally {
    rl.close();
  }
}

export function createProgram(): Command {
  const program = new Command('kairos-factory')
    .description('Build, boot-test and flash immutable Kairos operating systems from any Linux base image.')
    .version(APP_VERSION)
    .option('-v, --verbose', 'show the output of the tools (Docker build, mksquashfs, qemu)', false)
    .option('--json', 'print every job event as a JSON line on stdout (for scripts)', false)
    .showHelpAfterError()
    .exitOverride();

  const globals = (): GlobalOptions => program.opts<GlobalOptions>();

  program
    .command('validate')
    .description('check a recipe; name the field of every problem')
    .argument('<recipe>', 'recipe YAML file')
    .action(async (path: string) => {
      const recipe = await loadRecipe(path);
      process.stdout.write(`${path}: valid (${recipe.kairosify.method}, ${recipe.variant}, ${recipe.model}/${recipe.arch}) -> ${imageTagFor(recipe)}\n`);
    });

  program
    .command('check')
    .description('run the image checks (kernel, initrd, kairos-release, SSH host keys, ...) on a built image')
    .argument('<recipe>', 'recipe YAML file the image was built from')
    .option('--image <ref>', 'the image to check (default: the recipe\'s tag)')
    .action(async (path: string, opts: { image?: string }) => {
      const recipe = await loadRecipe(path);
      const image = opts.image ?? imageTagFor(recipe);
      const docker = await dockerEngine();
      const result = await runWithProgress('build', globals(), async (ctx) => {
        if (!(await inspectImage(docker, image))) {
          throw new AppError('image-not-found', `No image ${image} in the local engine`, { hint: `Build it first (kairos-factory build ${path}) or name one with --image` });
        }
        const results = await validateImage(docker, recipe, image, ctx);
        return { image, message: `${image}: ${results.filter((r) => r.status === 'pass').length} checks passed`, seconds: 0 };
      });
      if (!globals().json) process.stdout.write(`${result.message ?? ''}\n`);
    });

  program
    .command('dockerfile')
    .description('print the Dockerfile a recipe builds')
    .argument('<recipe>', 'recipe YAML file')
    .option('--os-release <file>', 'use this os-release instead of reading the base image (no Docker needed)')
    .action(async (path: string, opts: { osRelease?: string }) => {
      const recipe = await loadRecipe(path);
      let text: string | undefined;
      if (opts.osRelease || recipe.kairosify.method !== 'scratch') {
        const osRelease = opts.osRelease ? parseOsRelease(await readFile(opts.osRelease, 'utf8')) : undefined;
        text = generateDockerfile({ recipe, appVersion: APP_VERSION, ...(osRelease ? { osRelease } : {}) });
      } else {
        const docker = await dockerEngine();
        const result = await runWithProgress('build', { ...globals(), json: false }, async (ctx) => ({
          message: (await dockerfileFor(docker, recipe, tmpdir(), ctx)) ?? '',
          seconds: 0,
        }));
        text = result.message;
      }
      process.stdout.write(text ?? '# kairosify.method is none: the source image is used as it is, no Dockerfile\n');
    });

  program
    .command('build')
    .description('kairosify the base image and build the artifacts the recipe lists')
    .argument('<recipe>', 'recipe YAML file')
    .option('-o, --output <dir>', 'output folder (default: the recipe\'s output)')
    .option('--registry <registry>', 'name the image in this registry/org (overrides the recipe\'s registry)')
    .option('--push', 'push the image to its registry after it is built and validated', false)
    .action(async (path: string, opts: { output?: string; registry?: string; push: boolean }) => {
      let recipe = await loadRecipe(path);
      if (opts.registry !== undefined || opts.push) {
        // Options override the file; the result is validated again (push needs a registry).
        const checked = validateRecipe({ ...recipe, ...(opts.registry !== undefined ? { registry: opts.registry } : {}), ...(opts.push ? { push: true } : {}) });
        if (!checked.ok) {
          throw new AppError('recipe-invalid', checked.issues.map((i) => `${i.path === 'registry' ? '--registry' : i.path}: ${i.base.message}`).join('\n'), { hint: 'Fix the option named above' });
        }
        recipe = checked.recipe;
      }
      const result = await runWithProgress('build', globals(), (ctx) => runBuild({ recipe, ...(opts.output ? { outputDir: opts.output } : {}) }, ctx));
      if (!globals().json) {
        process.stdout.write(`Built ${result.image ?? ''} in ${formatDuration(result.seconds)}\n`);
        for (const a of result.artifacts ?? []) process.stdout.write(`  ${a.kind.padEnd(8)} ${a.path}  ${formatBytes(a.size)}  sha256 ${a.sha256}\n`);
      }
    });

  program
    .command('flash')
    .description('write an image to drives or files, then verify them by reading them back')
    .argument('<image>', 'image file: .img .raw .iso, plain or .gz .xz .zst .bz2 .zip (a .bmap next to it is used)')
    .argument('<targets...>', 'block devices (e.g. /dev/sdb) or files; several are written at once')
    .option('-y, --yes', 'do not ask before overwriting the targets', false)
    .option('--no-verify', 'skip the read-back verification')
    .option('--bmap <file>', 'use this .bmap (default: the one next to the image, if any)')
    .option('--no-bmap', 'ignore any .bmap and write every block')
    .action(async (image: string, targets: string[], opts: { yes: boolean; verify: boolean; bmap?: string | false }) => {
      const list = targets.join(', ');
      if (!opts.yes && !(await confirm(`Everything on ${list} will be overwritten. Type "yes" to go on: `))) {
        throw new AppError('not-confirmed', `Not writing ${list} without confirmation`, { hint: 'Answer "yes" at the prompt, or pass --yes' });
      }
      const result = await runWithProgress('flash', globals(), (ctx) =>
        flashImage({ image, targets, verify: opts.verify, ...(opts.bmap !== undefined ? { bmap: opts.bmap } : {}) }, ctx),
      );
      if (!globals().json) process.stdout.write(`${result.message ?? 'done'} in ${formatDuration(result.seconds)}\n`);
    });

  program
    .command('boot-test')
    .description('boot an artifact headless in qemu and wait for userspace on its serial console')
    .argument('<artifact>', 'ISO (live or UKI) or raw disk image')
    .option('--uefi', 'boot with UEFI firmware (OVMF) instead of BIOS', false)
    .option('--secure-boot', 'UEFI with Secure Boot enforced, from Setup Mode: the medium enrols its keys (trustedBoot.enroll: force)', false)
    .option('-t, --timeout <seconds>', 'give up after this many seconds', '300')
    .option('-m, --memory <MiB>', 'guest memory (default 2048, more for a UKI ISO)')
    .addOption(new Option('--accel <accel>', 'qemu accelerator').choices(['auto', 'tcg', 'kvm', 'hvf', 'whpx']).default('auto'))
    .option('--log <file>', 'where to save the serial console')
    .action(async (artifact: string, opts: { uefi: boolean; secureBoot: boolean; timeout: string; memory?: string; accel: 'auto' | 'tcg' | 'kvm' | 'hvf' | 'whpx'; log?: string }) => {
      const timeoutSeconds = Number(opts.timeout);
      if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
        throw new AppError('recipe-invalid', `--timeout must be a positive number of seconds, not "${opts.timeout}"`);
      }
      const memoryMiB = opts.memory === undefined ? undefined : Number(opts.memory);
      if (memoryMiB !== undefined && (!Number.isInteger(memoryMiB) || memoryMiB < 256)) {
        throw new AppError('recipe-invalid', `--memory must be a whole number of MiB, at least 256, not "${opts.memory}"`);
      }
      const firmware = opts.uefi || opts.secureBoot ? 'uefi' : 'bios';
      const result = await runWithProgress('boot-test', globals(), (ctx) =>
        runBootTest(
          {
            artifact,
            firmware,
            timeoutSeconds,
            accel: opts.accel,
            ...(opts.secureBoot ? { secureBoot: true } : {}),
            ...(memoryMiB !== undefined ? { memoryMiB } : {}),
            ...(opts.log ? { logFile: opts.log } : {}),
          },
          ctx,
        ),
      );
      if (!globals().json) process.stdout.write(`${result.message ?? 'booted'} in ${formatDuration(result.seconds)}\n`);
    });

  program
    .command('iso-config')
    .description('write a copy of an ISO with another cloud-config, in seconds (no rebuild)')
    .argument('<iso>', 'an ISO made by kairos-factory (or AuroraBoot)')
    .argument('<cloud-config>', 'the new cloud-config (YAML file)')
    .option('-o, --output <file>', 'the new ISO (default: <iso>-config.iso)')
    .action(async (iso: string, configPath: string, opts: { output?: string }) => {
      const cloudConfig = await readFile(configPath, 'utf8').catch((e: Error) => {
        throw new AppError('recipe-invalid', `Cannot read ${configPath}: ${e.message}`);
      });
      const result = await runWithProgress('build', globals(), (ctx) => swapIsoConfig({ iso, cloudConfig, ...(opts.output ? { output: opts.output } : {}) }, ctx));
      if (!globals().json) process.stdout.write(`${result.message ?? 'done'} in ${formatDuration(result.seconds)}\n`);
    });

  program
    .command('web')
    .description('serve the app\'s UI on this machine (127.0.0.1 only), for headless build boxes')
    .option('-p, --port <port>', 'port to listen on (0: any free port)', '8734')
    .action(async (opts: { port: string }) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new AppError('bad-request', `--port must be a port number, not "${opts.port}"`);
      const api = createApiServer({ dataDir: defaultDataDir(), shell: 'web' });
      const server = await startWebServer({ api, port, staticDir: await rendererDir() });
      process.stdout.write(`Kairos Factory is serving its UI at ${server.url}\nOpen this address (it carries the access token):\n  ${server.loginUrl}\nCtrl-C stops it.\n`);
      await new Promise<void>((resolve) => {
        const stop = (): void => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      process.stdout.write('Stopping: cancelling running jobs…\n');
      await server.close();
      await api.close();
    });

  return program;
}

/** The built renderer: dist/renderer next to the compiled engine. */
async function rendererDir(): Promise<string> {
  return join(dirname(await resourcesDir()), 'dist', 'renderer');
}

export async function main(argv: ReadonlyArray<string>): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    const data = toErrorData(error);
    process.stderr.write(`error: ${formatErrorLine(data)}\n`);
    if (data.code === 'cancelled') return EXIT_CANCELLED;
    return data.code === 'recipe-invalid' ? EXIT_USAGE : EXIT_FAILURE;
  }
}
