// kairos-factory: the engine from a terminal, as a shell of the one handler table (cli-shell.ts).
// Every command exits 0 on success and, on any failure, non-zero with one line that says what
// went wrong and what to do. Only option parsing and printing live here; every rule is the
// engine's, the same for the app and the web UI.
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { Command, CommanderError, Option } from 'commander';
import { AppError, formatErrorLine, toErrorData, type AppErrorData } from '../../src-shared/errors/app-error.js';
import type { PreflightProblem } from '../../src-shared/preflight/preflight.js';
import type { RecipeIssue } from '../../src-shared/recipe/parse-recipe.js';
import type { Recipe } from '../../src-shared/recipe/recipe-schema.js';
import { formatBytes, formatDuration } from '../../src-shared/util/format.js';
import { APP_VERSION } from '../../src-shared/version.js';
import { withBuildOverrides, overrideIssueLine } from './build-options.js';
import { CliShell, EXIT, type ViewOptions } from './cli-shell.js';
import { formatDriveList } from './drives-view.js';

/** "file:line:col: path: message", as compilers print it. */
function issueLine(issue: RecipeIssue, file: string): string {
  const where = issue.line !== undefined ? `${file}:${issue.line}:${issue.column ?? 1}` : file;
  return issue.path ? `${where}: ${issue.path}: ${issue.message}` : `${where}: ${issue.message}`;
}

/** Where the preflight reads a file's relative paths: where the command runs, as a user of a command line expects. */
const HERE = { relativeTo: process.cwd() };

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new AppError('recipe-invalid', `Cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { hint: 'Check the path' });
  }
}

function recipeError(issues: ReadonlyArray<RecipeIssue>, path: string): AppError {
  return new AppError('recipe-invalid', issues.map((i) => issueLine(i, path)).join('\n'), { hint: 'Fix the field named above (see examples/ for a complete recipe)' });
}

/** Reads and checks a recipe file; `machine: false` leaves out this machine's paths (output folder, rootfs). */
async function loadRecipe(shell: CliShell, path: string, place: { machine?: false; output?: string } = {}): Promise<Recipe> {
  const result = await shell.request('recipe.validate', { yaml: await readText(path, 'recipe'), ...HERE, ...place });
  printWarnings(result.problems, path);
  if (!result.ok) {
    // A folder given with --output is the option's problem, not the file's `output` line.
    const fromOption = place.output !== undefined ? result.issues.filter((i) => i.path === 'output') : [];
    if (fromOption.length > 0 && fromOption.length === result.issues.length) {
      throw new AppError('recipe-invalid', fromOption.map((i) => `--output: ${i.message}`).join('\n'), { hint: 'Fix the option named above' });
    }
    throw recipeError(result.issues, path);
  }
  return result.recipe;
}

function printWarnings(problems: ReadonlyArray<PreflightProblem>, path: string): void {
  for (const p of problems) if (p.severity === 'warning') process.stderr.write(`warning: ${issueLine(p, path)}\n`);
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

/** A folder or an .ipxe script is booted over the network, whatever the flags say. */
async function isNetbootArtifact(path: string): Promise<boolean> {
  if (path.endsWith('.ipxe')) return true;
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

function positiveNumber(option: string, value: string | undefined, min = Number.MIN_VALUE, integer = false): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
    throw new AppError('bad-request', `${option} must be ${integer ? `a whole number, at least ${min}` : 'a positive number'}, not "${value}"`);
  }
  return n;
}

export function createProgram(shell: CliShell): Command {
  const program = new Command('kairos-factory')
    .description('Build, boot-test and flash immutable Kairos operating systems from any Linux base image.')
    .version(APP_VERSION)
    .option('-v, --verbose', 'show the output of the tools (Docker build, mksquashfs, qemu)', false)
    .option('--json', 'print every job event as a JSON line on stdout (for scripts)', false)
    .option('--engine <engine>', "the Docker engine to use: a name from `kairos-factory engines` (a context's name, DOCKER_HOST, docker, podman…), an address (unix:///…, tcp://…, ssh://…), or automatic (default: the engine setting)")
    .showHelpAfterError()
    .exitOverride()
    .hook('preAction', () => {
      shell.engine = program.opts<{ engine?: string }>().engine;
    });

  const view = (): ViewOptions => program.opts<ViewOptions>();
  const say = (line: string): void => {
    if (!view().json) process.stdout.write(`${line}\n`);
  };
  /** Starts a job by a request and shows it until it ends. */
  const runJob = async (start: Promise<{ readonly jobId: string }>) => shell.follow((await start).jobId, view());

  program
    .command('validate')
    .description('check a recipe as the wizard and build do (fields, cloud-config, Dockerfile template, paths); name the field and line of every problem')
    .argument('<recipe>', 'recipe YAML file')
    .option('-o, --output <dir>', "the output folder the build would be given (default: the recipe's output)")
    .action(async (path: string, opts: { output?: string }) => {
      const result = await shell.request('recipe.validate', { yaml: await readText(path, 'recipe'), ...HERE, ...(opts.output !== undefined ? { output: opts.output } : {}) });
      if (view().json) {
        // For scripts: every problem, errors and warnings, sorted by line; the exit code says valid or not.
        process.stdout.write(`${JSON.stringify({ file: path, ok: result.ok, problems: result.problems }, null, 2)}\n`);
        if (!result.ok) throw new AppError('recipe-invalid', `${path} has ${result.issues.length} error(s), listed above`, { hint: 'Fix the fields named there' });
        return;
      }
      printWarnings(result.problems, path);
      if (!result.ok) throw recipeError(result.issues, path);
      const { recipe } = result;
      const { imageTagFor } = await import('../../src-shared/kairosify/dockerfile-common.js');
      process.stdout.write(`${path}: valid (${recipe.kairosify.method}, ${recipe.variant}, ${recipe.model}/${recipe.arch}) -> ${imageTagFor(recipe)}\n`);
      for (const note of result.notes ?? []) process.stdout.write(`note: ${note.path}: ${note.message}\n`);
    });

  program
    .command('check')
    .description('run the image checks (kernel, initrd, kairos-release, SSH host keys, ...) on a built image')
    .argument('<recipe>', 'recipe YAML file the image was built from')
    .option('--image <ref>', "the image to check (default: the recipe's tag)")
    .action(async (path: string, opts: { image?: string }) => {
      const recipe = await loadRecipe(shell, path, { machine: false });
      const result = await runJob(shell.request('image.check', { recipe, ...(opts.image ? { image: opts.image } : {}) }));
      say(result.message ?? '');
    });

  program
    .command('dockerfile')
    .description('print the Dockerfile a recipe builds')
    .argument('<recipe>', 'recipe YAML file')
    .option('--os-release <file>', 'use this os-release instead of reading the base image (no Docker needed)')
    .action(async (path: string, opts: { osRelease?: string }) => {
      const recipe = await loadRecipe(shell, path, { machine: false });
      const osRelease = opts.osRelease !== undefined ? await readText(opts.osRelease, 'os-release') : undefined;
      const result = await shell.request('recipe.dockerfile', { recipe, fetchBase: true, ...(osRelease !== undefined ? { osRelease } : {}) });
      process.stdout.write(result.text ?? `# ${result.note ?? 'kairosify.method is none: the source image is used as it is, no Dockerfile'}\n`);
    });

  program
    .command('build')
    .description('kairosify the base image and build the artifacts the recipe lists')
    .argument('<recipe>', 'recipe YAML file')
    .option('-o, --output <dir>', "output folder (default: the recipe's output)")
    .option('--registry <registry>', "name the image in this registry/org (overrides the recipe's registry)")
    .option('--push', 'push the image to its registry after it is built and validated', false)
    .option('--netboot-url <url>', "the http(s) URL the netboot folder will be served from, written into its iPXE script (overrides the recipe's netboot.url)")
    .option('--offline', "never touch the network: use the recipe's image and the builder as the engine has them (an offline kit brings them); anything missing fails at once (default: the offline setting)")
    .action(async (path: string, opts: { output?: string; registry?: string; push: boolean; netbootUrl?: string; offline?: true }) => {
      const place = opts.output !== undefined ? { output: opts.output } : {};
      let recipe = await loadRecipe(shell, path, place);
      const overridden = withBuildOverrides(recipe, opts);
      if (overridden) {
        // Options override the file; the result is validated again (push needs a registry).
        const checked = await shell.request('recipe.validate', { recipe: overridden, ...HERE, ...place });
        if (!checked.ok) throw new AppError('recipe-invalid', checked.issues.map(overrideIssueLine).join('\n'), { hint: 'Fix the option named above' });
        recipe = checked.recipe;
      }
      // Relative to where the command runs, as a user of a command line expects.
      const output = resolve(opts.output ?? recipe.output);
      const result = await runJob(shell.request('build.start', { recipe, output, ...(opts.offline ? { offline: true } : {}) }));
      say(`Built ${result.image ?? ''} in ${formatDuration(result.seconds)}`);
      for (const a of result.artifacts ?? []) say(`  ${a.kind.padEnd(8)} ${a.path}  ${formatBytes(a.size)}  sha256 ${a.sha256}`);
    });

  program
    .command('plan')
    .description('list what a build of the recipe needs (images, packages, keys), what is already here and what needs the network; pulls and builds nothing')
    .argument('<recipe>', 'recipe YAML file')
    .option('-o, --output <dir>', "the output folder the build would be given, where generated Trusted Boot keys are kept (default: the recipe's output)")
    .action(async (path: string, opts: { output?: string }) => {
      const recipe = await loadRecipe(shell, path, { machine: false });
      const plan = await shell.request('build.plan', { recipe, output: resolve(opts.output ?? recipe.output), ...HERE });
      const { formatPlan } = await import('./plan-view.js');
      process.stdout.write(view().json ? `${JSON.stringify(plan, null, 2)}\n` : formatPlan(plan, path));
    });

  program
    .command('drives')
    .description('list the drives an image can be written to, with what the safety rules say of each')
    .option('--image <file>', 'judge the drives for this image (size, the drive it lives on)')
    .option('--all', 'show system drives too')
    .option('--virtual', 'show loop devices too')
    .action(async (opts: { image?: string; all?: true; virtual?: true }) => {
      const list = await shell.request('drives.list', { virtual: opts.virtual === true, ...(opts.image ? { image: resolve(opts.image) } : {}) });
      process.stdout.write(view().json ? `${JSON.stringify(list, null, 2)}\n` : formatDriveList(list, opts.all === true));
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
    .option('--confirm-system-drive <name>', 'allow writing this system drive (its name, e.g. sda); repeat for several', (v: string, all: string[]) => [...all, v.replace(/^\/dev\//, '')], [] as string[])
    .option('--hostname <pattern>', "give each card its own hostname: {n} is the card's number (1, 2, ...), {serial} the drive's serial, e.g. 'node-{n}'")
    .option('--card-config <file>', "extra cloud-config per card: a YAML file keyed by card number or target, each holding a cloud-config mapping")
    .action(async (image: string, targets: string[], opts: { yes: boolean; verify: boolean; bmap?: string | false; confirmSystemDrive: string[]; hostname?: string; cardConfig?: string }) => {
      // Per-card values are checked before the prompt: a typo is not worth a "yes".
      const { checkHostnameOption, cardConfigs } = await import('./card-options.js');
      if (opts.hostname !== undefined) checkHostnameOption(opts.hostname);
      const cloudConfig = opts.cardConfig !== undefined ? cardConfigs(await readText(opts.cardConfig, 'card config'), opts.cardConfig, targets, targets.map((t) => resolve(t))) : undefined;
      const cards = opts.hostname !== undefined || cloudConfig ? { ...(opts.hostname !== undefined ? { hostname: opts.hostname } : {}), ...(cloudConfig ? { cloudConfig } : {}) } : undefined;
      const list = targets.join(', ');
      if (!opts.yes && !(await confirm(`Everything on ${list} will be overwritten. Type "yes" to go on: `))) {
        throw new AppError('not-confirmed', `Not writing ${list} without confirmation`, { hint: 'Answer "yes" at the prompt, or pass --yes' });
      }
      const result = await runJob(
        shell.request('flash.start', {
          image: resolve(image),
          targets: targets.map((t) => resolve(t)),
          verify: opts.verify,
          confirmations: Object.fromEntries(opts.confirmSystemDrive.map((name) => [name, name])),
          // Naming a loop device or a file on the command line is asking for it.
          virtual: true,
          ...(opts.bmap !== undefined ? { bmap: opts.bmap === false ? false : resolve(opts.bmap) } : {}),
          ...(cards ? { cards } : {}),
        }),
      );
      say(`${result.message ?? 'done'} in ${formatDuration(result.seconds)}`);
    });

  program
    .command('boot-test')
    .description('boot an artifact headless in qemu and wait for userspace on its serial console')
    .argument('<artifact>', 'ISO (live or UKI), raw disk image, or netboot folder (or its .ipxe script)')
    .option('--uefi', 'boot with UEFI firmware (OVMF) instead of BIOS', false)
    .option('--netboot', "serve a netboot folder over HTTP for the test and boot it through qemu's iPXE (the default for a folder or an .ipxe script)", false)
    .option('--secure-boot', 'UEFI with Secure Boot enforced, from Setup Mode: the medium enrols its keys (trustedBoot.enroll: force)', false)
    .option('--rpi3', "a Raspberry Pi 3 SD card in qemu's raspi3b machine, started at the card's own U-Boot", false)
    .option('--virt', "arm64 UEFI in qemu's virt machine (AAVMF); the default for an arm64 disk or ISO", false)
    .option('-t, --timeout <seconds>', 'give up after this many seconds (default 600 emulated, 300 with KVM/HVF, a Pi 3 1200)')
    .option('-m, --memory <MiB>', 'guest memory (default 2048, more for a UKI ISO)')
    .addOption(new Option('--accel <accel>', 'qemu accelerator').choices(['auto', 'tcg', 'kvm', 'hvf', 'whpx']).default('auto'))
    .option('--log <file>', 'where to save the serial console')
    .option('--expect-hostname <name>', "the hostname the login prompt must show (a regular expression for the whole name, e.g. 'kairos-[0-9a-f]{4}')")
    .option('--login <user:password>', 'log in on the serial console as this user, who must get a shell')
    .action(async (artifact: string, opts: { uefi: boolean; netboot: boolean; secureBoot: boolean; rpi3: boolean; virt: boolean; timeout?: string; memory?: string; accel: 'auto' | 'tcg' | 'kvm' | 'hvf' | 'whpx'; log?: string; expectHostname?: string; login?: string }) => {
      const timeoutSeconds = positiveNumber('--timeout', opts.timeout);
      const memoryMiB = positiveNumber('--memory', opts.memory, 256, true);
      const netboot = opts.netboot || (await isNetbootArtifact(artifact));
      if (netboot && (opts.uefi || opts.secureBoot)) throw new AppError('bad-request', 'A netboot test boots with BIOS through the network card\'s iPXE: leave out --uefi and --secure-boot');
      if (opts.rpi3 && opts.virt) throw new AppError('bad-request', 'Choose one machine: --rpi3 or --virt');
      const mode = netboot ? 'netboot' : opts.rpi3 ? 'rpi3' : opts.virt ? 'virt' : opts.secureBoot ? 'secureboot' : opts.uefi ? 'uefi' : 'bios';
      const colon = opts.login?.indexOf(':') ?? -1;
      if (opts.login !== undefined && colon < 1) throw new AppError('bad-request', `--login must be USER:PASSWORD, not "${opts.login}"`);
      const login = opts.login !== undefined ? { user: opts.login.slice(0, colon), password: opts.login.slice(colon + 1) } : undefined;
      const expect = { ...(opts.expectHostname !== undefined ? { hostname: opts.expectHostname } : {}), ...(login ? { login } : {}) };
      const result = await runJob(
        shell.request('bootTest.start', {
          artifact: resolve(artifact),
          mode,
          ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
          accel: opts.accel,
          ...(memoryMiB !== undefined ? { memoryMiB } : {}),
          ...(opts.log ? { logFile: resolve(opts.log) } : {}),
          ...(Object.keys(expect).length > 0 ? { expect } : {}),
        }),
      );
      say(`${result.message ?? 'booted'} in ${formatDuration(result.seconds)}`);
    });

  program
    .command('iso-config')
    .description('write a copy of an ISO with another cloud-config, in seconds (no rebuild)')
    .argument('<iso>', 'an ISO made by kairos-factory (or AuroraBoot)')
    .argument('<cloud-config>', 'the new cloud-config (YAML file)')
    .option('-o, --output <file>', 'the new ISO (default: <iso>-config.iso)')
    .action(async (iso: string, configPath: string, opts: { output?: string }) => {
      const cloudConfig = await readText(configPath, 'cloud-config');
      const result = await runJob(shell.request('iso.config', { iso: resolve(iso), cloudConfig, ...(opts.output ? { output: resolve(opts.output) } : {}) }));
      say(`${result.message ?? 'done'} in ${formatDuration(result.seconds)}`);
    });

  const kit = program.command('kit').description('offline kits: every image some recipes need to build on a machine without network, in one file');
  kit
    .command('export')
    .description("write one kit file with every image the recipes need to build offline (the recipe's image, kairos-init or framework, the builder and its base), the recipes and a manifest with SHA-256s")
    .argument('<recipes...>', 'recipe YAML files, each built once on this engine')
    .requiredOption('-o, --output <file>', 'the kit file to write (e.g. debian-bookworm.kit.tar)')
    .action(async (paths: string[], opts: { output: string }) => {
      const recipes = [];
      for (const path of paths) recipes.push(await loadRecipe(shell, path, { machine: false }));
      const result = await runJob(shell.request('kit.export', { recipes, output: resolve(opts.output) }));
      say(`${result.message ?? 'done'} in ${formatDuration(result.seconds)}`);
    });
  kit
    .command('import')
    .description("check every member of a kit against its manifest's SHA-256, then load its images into the engine (its recipes join the saved ones)")
    .argument('<file>', 'a kit written by `kit export`')
    .action(async (file: string) => {
      const result = await runJob(shell.request('kit.import', { file: resolve(file) }));
      say(`${result.message ?? 'done'} in ${formatDuration(result.seconds)}`);
    });

  // ---- the kairos-operator (Kubernetes) ----
  program
    .command('osartifact')
    .description('write the recipe as an OSArtifact for the kairos-operator (Kubernetes) with the Secrets it names; what the operator does not do is listed on stderr and in the file')
    .argument('<recipe>', 'recipe YAML file')
    .option('-o, --output <dir>', 'write <name>-osartifact.yaml into this folder (default: print it)')
    .option('--apply', 'submit it with your kubeconfig and follow the build (phase and builder log) until Ready or Error', false)
    .option('-n, --namespace <namespace>', "with --apply: the namespace (default: the kubeconfig context's, or default)")
    .option('--kubeconfig <file>', 'with --apply: this kubeconfig (default: $KUBECONFIG or ~/.kube/config)')
    .action(async (path: string, opts: { output?: string; apply: boolean; namespace?: string; kubeconfig?: string }) => {
      const recipe = await loadRecipe(shell, path, { machine: false });
      const exported = await shell.request('kubernetes.export', { recipe });
      for (const note of exported.notes) process.stderr.write(`note: ${note.path ? `${note.path}: ` : ''}${note.message}\n`);
      if (opts.output !== undefined) {
        const file = resolve(opts.output, exported.fileName);
        await mkdir(resolve(opts.output), { recursive: true });
        // The cloud-config (users, password hashes, tokens) is in it: readable by its owner only.
        await writeFile(file, exported.yaml, { mode: 0o600 });
        await chmod(file, 0o600);
        say(`Wrote ${file}`);
      } else if (!opts.apply) {
        process.stdout.write(exported.yaml);
      }
      if (!opts.apply) return;
      const started = shell.request('kubernetes.apply', { recipe, ...(opts.namespace !== undefined ? { namespace: opts.namespace } : {}), ...(opts.kubeconfig !== undefined ? { kubeconfig: resolve(opts.kubeconfig) } : {}) });
      const result = await runJob(started);
      say(`${result.message ?? 'Ready'} in ${formatDuration(result.seconds)}`);
      if (result.image) say(`  image ${result.image}`);
    });

  program
    .command('recipe-from')
    .description('make a recipe this app builds from an OSArtifact manifest (v1alpha2) and the Secrets it names; every field not carried over is listed on stderr')
    .argument('<osartifact>', 'the OSArtifact YAML (it may hold its Secrets too)')
    .argument('[secrets...]', 'YAML files with the Secrets it names (Dockerfile, cloud-config)')
    .option('-o, --output <file>', 'write the recipe to this file (default: print it)')
    .action(async (manifest: string, secretFiles: string[], opts: { output?: string }) => {
      const manifests = await Promise.all([manifest, ...secretFiles].map(async (name) => ({ name, text: await readText(name, 'manifest') })));
      const { recipe, notCarried } = await shell.request('kubernetes.import', { manifests });
      for (const note of notCarried) process.stderr.write(`not carried: ${note.path}: ${note.message}\n`);
      const { recipeToYaml } = await import('../../src-shared/recipe/parse-recipe.js');
      const text = recipeToYaml(recipe);
      if (opts.output === undefined) {
        process.stdout.write(text);
        return;
      }
      await writeFile(opts.output, text, { mode: 0o600 });
      await chmod(opts.output, 0o600);
      say(`Wrote ${resolve(opts.output)}`);
    });

  program
    .command('web')
    .description("serve the app's UI on this machine (127.0.0.1 only), for headless build boxes")
    .option('-p, --port <port>', 'port to listen on (0: any free port)', '8734')
    .action(async (opts: { port: string }) => {
      const { serveWeb } = await import('./web-command.js');
      await serveWeb(opts.port, shell.engine);
    });

  program
    .command('engines')
    .description('list the Docker engines found here (DOCKER_HOST, Docker contexts, Docker Desktop, Podman, colima, Rancher Desktop sockets) with OS, architecture and version')
    .action(async () => {
      const list = await shell.request('engines.list', {});
      const { formatEngineList } = await import('./engines-view.js');
      process.stdout.write(view().json ? `${JSON.stringify(list, null, 2)}\n` : formatEngineList(list));
    });

  return program;
}

function exitCodeOf(data: AppErrorData): number {
  if (data.code === 'cancelled') return EXIT.cancelled;
  return data.code === 'recipe-invalid' || data.code === 'bad-request' ? EXIT.usage : EXIT.failure;
}

export async function main(argv: ReadonlyArray<string>): Promise<number> {
  const shell = new CliShell();
  const program = createProgram(shell);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const data = toErrorData(error);
    process.stderr.write(`error: ${formatErrorLine(data)}\n`);
    return exitCodeOf(data);
  } finally {
    await shell.close().catch(() => undefined);
  }
}
