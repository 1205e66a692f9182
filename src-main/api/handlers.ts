// The one table of API handlers. Electron's IPC, the web shell and the CLI (through the in-memory
// transport) all call dispatch(): it checks the request name and payload, runs the handler, and
// turns any failure into plain error data. The engine's heavy parts (Docker, qemu, the flash
// helper) are imported by the handler that needs them, when it runs: a CLI command pays only for
// what it uses.
import type { z } from 'zod';
import {
  REQUEST_NAMES,
  RequestSchemas,
  type Envelope,
  type EventMap,
  type EventName,
  type RequestName,
  type Response,
  type ShellKind,
} from '../../src-shared/api/contract.js';
import { AppError, toErrorData } from '../../src-shared/errors/app-error.js';
import { driveStatus } from '../../src-shared/drives/drive-constraints.js';
import type { PreflightProblem } from '../../src-shared/preflight/preflight.js';
import type { Recipe } from '../../src-shared/recipe/recipe-schema.js';
import type { CardValues } from '../../src-shared/flash/card-config.js';
import { AppStore } from './app-store.js';
import { JobManager } from './job-manager.js';
import { DriveWatcher } from './drive-watcher.js';
import { imageSizeFacts } from './image-size.js';
import { checkEngineSetting, choiceSource, listEngines } from './engine-choice.js';
import { useEngineChoice } from '../docker/engine-selection.js';
import { isAbsolute, join, resolve } from 'node:path';
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';

type Payload<K extends RequestName> = z.output<(typeof RequestSchemas)[K]>;
type Handlers = { [K in RequestName]: (payload: Payload<K>) => Promise<Response<K>> };

export type EventListener = <E extends EventName>(event: E, payload: EventMap[E]) => void;

export interface PickRequest {
  readonly kind: 'file' | 'folder';
  readonly title: string;
  readonly extensions?: ReadonlyArray<string>;
}

export interface ApiOptions {
  readonly dataDir: string;
  readonly shell: ShellKind;
  /** A native dialog; shells without one leave it out and the UI asks for typed paths. */
  readonly pickPath?: (request: PickRequest) => Promise<string | null>;
  /** Shows a file in the system's file manager; shells without one leave it out (the web UI downloads). */
  readonly showInFolder?: (path: string) => void;
  /** The Docker engine for this process (the CLI's --engine): beats the engine setting. */
  readonly engine?: string;
}

export interface ApiServer {
  dispatch(name: string, payload: unknown): Promise<Envelope<unknown>>;
  /**
   * Every event for every client; returns the unsubscribe. A listener that names its events and
   * leaves out "drives.changed" does not start the drive polling (the CLI following a job).
   */
  onEvent(listener: EventListener, events?: ReadonlyArray<EventName>): () => void;
  close(): Promise<void>;
}

/** The recipe checks (YAML, zod schema, "did you mean") load with the first request that needs them. */
const recipes = () => import('../../src-shared/recipe/parse-recipe.js');

async function recipeOrThrow(value: unknown): Promise<Recipe> {
  const result = (await recipes()).validateRecipe(value);
  if (!result.ok) {
    const first = result.issues[0]?.base;
    throw new AppError('recipe-invalid', `The recipe is not valid: ${first?.path ? `${first.path}: ` : ''}${first?.message ?? ''}`, {
      hint: 'Fix the field named above',
    });
  }
  return result.recipe;
}

/** A refused build: every error, one per line, each naming its field. */
function preflightError(problems: ReadonlyArray<PreflightProblem>): AppError {
  const errors = problems.filter((p) => p.severity === 'error');
  return new AppError('recipe-invalid', `The recipe is not ready to build: ${errors.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ')}`, {
    hint: 'Fix the fields named above (the wizard\'s Review and `kairos-factory validate` list them too)',
  });
}

/** A recipe's OSArtifact and Secrets, refused (every field named) when the CRD schema or the operator's rules would refuse them. */
async function checkedOsArtifact(recipe: Recipe) {
  const [{ recipeToOsArtifact }, { osArtifactIssues, formatManifestIssues }, { osArtifactYaml }] = await Promise.all([
    import('../../src-shared/kubernetes/recipe-to-osartifact.js'),
    import('../../src-shared/kubernetes/osartifact-validate.js'),
    import('../../src-shared/kubernetes/osartifact-yaml.js'),
  ]);
  const exported = recipeToOsArtifact(recipe);
  const issues = osArtifactIssues(exported.artifact);
  if (issues.length > 0) {
    const notes = exported.notes.filter((n) => n.path.startsWith('artifacts.')).map((n) => `${n.path}: ${n.message}`);
    throw new AppError('recipe-invalid', `The kairos-operator would refuse this recipe's OSArtifact:\n${formatManifestIssues(issues)}${notes.length > 0 ? `\n${notes.join('\n')}` : ''}`, {
      hint: 'Fix the fields named above; an OSArtifact needs at least one artifact the operator makes (iso, raw-efi, vhd, gce, netboot, uki)',
    });
  }
  return { exported, yaml: osArtifactYaml(exported, recipe.name) };
}

const fileName = (path: string): string => path.split(/[\\/]/).pop() ?? path;

/**
 * A flash request's per-card values, one per target: the hostname pattern expanded with each
 * drive's serial (from the drive list, or as the user picked it) and each card's extra
 * cloud-config checked. Undefined when nothing differs between cards. Refused here, before any job.
 */
async function cardValues(
  cards: NonNullable<Payload<'flash.start'>['cards']>,
  targets: ReadonlyArray<string>,
  identities: Payload<'flash.start'>['identities'],
  drives: DriveWatcher,
): Promise<CardValues[] | undefined> {
  const [{ cardFacts, expandHostnames, hostnamePatternProblem }, { cardConfigProblem }] = await Promise.all([import('../../src-shared/flash/card-names.js'), import('../../src-shared/flash/card-config.js')]);
  const option = 'The hostname pattern';
  const hint = 'Use letters, digits and "-", with {n} (the card\'s number) or {serial}, e.g. node-{n}';
  const patternProblem = cards.hostname !== undefined ? hostnamePatternProblem(cards.hostname, option) : undefined;
  if (patternProblem) throw new AppError('bad-request', patternProblem, { hint });
  const configs = cards.cloudConfig ?? [];
  if (configs.length > 0 && configs.length !== targets.length) {
    throw new AppError('bad-request', `cards.cloudConfig has ${configs.length} entries for ${targets.length} targets`, { hint: "Give one extra cloud-config per target, in the targets' order ('' for none)" });
  }
  for (const [i, text] of configs.entries()) {
    const problem = cardConfigProblem(text, `Card ${i + 1}'s cloud-config (${targets[i]})`);
    if (problem) throw new AppError('bad-request', problem, { hint: "Fix that card's cloud-config" });
  }
  const hasConfig = configs.some((c) => c.trim() !== '');
  if (cards.hostname === undefined && !hasConfig) return undefined;
  let names: ReadonlyArray<string> | undefined;
  if (cards.hostname !== undefined) {
    const [list, { targetFact }] = await Promise.all([drives.list(true), import('../flash/target-check.js')]);
    const facts = await Promise.all(targets.map(async (target) => {
      // The drive as the policy finds it (through links too); an image file has only its path.
      const fact = await targetFact(target, list);
      const identity = identities?.[target] ?? (fact.kind === 'drive' ? fact.drive.identity : undefined);
      return cardFacts(target, identity);
    }));
    const result = expandHostnames(cards.hostname, facts, option);
    if (!result.ok) throw new AppError('bad-request', result.message, { hint });
    names = result.names;
  }
  return targets.map((_, i) => ({ ...(names ? { hostname: names[i]! } : {}), ...(configs[i]?.trim() ? { cloudConfig: configs[i]! } : {}) }));
}

export function createApiServer(options: ApiOptions): ApiServer {
  const listeners = new Set<EventListener>();
  const emit: EventListener = (event, payload) => {
    for (const l of listeners) l(event, payload);
  };
  const store = new AppStore(options.dataDir);
  const jobs = new JobManager(store, {
    job: (event) => emit('job', event),
    summary: (summary) => emit('job.summary', summary),
  });
  const drives = new DriveWatcher(() => emit('drives.changed', {}));
  const engineChoice = choiceSource(options.engine, async () => (await store.settings()).engine);
  useEngineChoice(engineChoice);

  /** A recipe's output folder: relative ones live under the settings' output root. */
  const outputDirOf = async (recipe: Recipe, output?: string): Promise<string> => {
    if (output !== undefined) return resolve(output);
    return isAbsolute(recipe.output) ? recipe.output : join((await store.settings()).outputRoot, recipe.output);
  };

  /** The preflight: the pure checks, then this machine's paths (relative ones as the request says). */
  const preflightOf = async (request: Payload<'recipe.validate'>) => {
    const [{ preflight, withProblems }, { pathProblems }] = await Promise.all([import('../../src-shared/preflight/preflight.js'), import('./preflight-paths.js')]);
    const base = preflight('yaml' in request ? { yaml: request.yaml } : { recipe: request.recipe });
    if (!base.recipe || request.machine === false) return base;
    const from = request.relativeTo;
    const outputDir = request.output !== undefined ? resolve(from ?? '', request.output) : from !== undefined ? resolve(from, base.recipe.output) : await outputDirOf(base.recipe);
    const found = await pathProblems(base.recipe, { outputDir, relativeTo: from ?? process.cwd() });
    const { fieldPosition } = await recipes();
    const placed = 'yaml' in request ? found.map((p) => ({ ...p, ...fieldPosition(request.yaml, p.path) })) : found;
    return withProblems(base, placed);
  };

  const handlers: Handlers = {
    'engine.status': async () => (await import('./engine-status.js')).engineStatus(options.shell),
    'settings.get': () => store.settings(),
    'settings.set': async (change) => {
      if (change.engine !== undefined) await checkEngineSetting(change.engine);
      return store.updateSettings(Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)));
    },
    'recipe.validate': async (request) => {
      const [checked, { frameworkOnlyNotes }, { issueOf }] = await Promise.all([preflightOf(request), import('../../src-shared/cloud-config/plain-image.js'), import('../../src-shared/preflight/preflight.js')]);
      const errors = checked.problems.filter((p) => p.severity === 'error');
      if (!checked.ok || !checked.recipe) return { ok: false, issues: errors.map(issueOf), problems: checked.problems };
      const notes = frameworkOnlyNotes(checked.recipe).map((n) => ({ path: `cloudConfig.${n.path}`, message: `${n.message}${n.line !== undefined ? ` (line ${n.line} of the cloud-config)` : ''}` }));
      return { ok: true, recipe: checked.recipe, problems: checked.problems, ...(notes.length > 0 ? { notes } : {}) };
    },
    'recipe.dockerfile': async ({ recipe, osRelease, fetchBase }) => {
      const { dockerfilePreview } = await import('./dockerfile-preview.js');
      return dockerfilePreview(await recipeOrThrow(recipe), { ...(osRelease !== undefined ? { osRelease } : {}), fetchBase: fetchBase ?? false });
    },
    'recipe.list': () => store.listRecipes(),
    'recipe.save': async ({ recipe }) => store.saveRecipe(await recipeOrThrow(recipe)),
    'recipe.load': async ({ name }) => ({ recipe: await store.loadRecipe(name) }),
    'recipe.delete': async ({ name }) => {
      await store.deleteRecipe(name);
      return {};
    },
    'keys.check': async ({ folder }) => (await import('./keys-check.js')).checkKeysFolder(folder),
    'dialog.pick': async (request) => {
      if (!options.pickPath) throw new AppError('bad-request', 'No file dialogs here', { hint: 'Type the path instead' });
      return { path: await options.pickPath(request) };
    },
    'files.list': async ({ folder, extensions }) => {
      const { listFolder } = await import('./folder-list.js');
      // First opened: where builds write (the newest images are there), or the home folder.
      const { outputRoot } = await store.settings();
      const start = folder ?? ((await stat(outputRoot).then((s) => s.isDirectory(), () => false)) ? outputRoot : homedir());
      return listFolder(start, { dataDir: options.dataDir, outputRoot, extensions });
    },
    'build.start': async ({ recipe: value, output, offline }) => {
      // The same preflight as Review and `validate`: a build that would fail on its inputs does not start.
      const checked = await preflightOf({ recipe: value, ...(output !== undefined ? { output } : {}) });
      if (!checked.ok || !checked.recipe) throw preflightError(checked.problems);
      const recipe = checked.recipe;
      const outputDir = await outputDirOf(recipe, output);
      const noNetwork = offline ?? (await store.settings()).offline;
      const jobId = jobs.start('build', `Build ${recipe.name}${noNetwork ? ' (offline)' : ''}`, async (ctx) => (await import('../pipeline/build-pipeline.js')).runBuild({ recipe, outputDir, offline: noNetwork }, ctx), { recipe });
      return { jobId };
    },
    'build.plan': async ({ recipe: value, output, relativeTo }) => {
      const recipe = await recipeOrThrow(value);
      const from = relativeTo ?? process.cwd();
      const outputDir = output !== undefined ? resolve(from, output) : await outputDirOf(recipe);
      return (await import('./build-plan.js')).planBuild(recipe, { outputDir, relativeTo: from });
    },
    'image.check': async ({ recipe: value, image }) => {
      const recipe = await recipeOrThrow(value);
      const jobId = jobs.start('check', `Check ${image ?? recipe.name}`, async (ctx) => (await import('./image-check.js')).checkBuiltImage(recipe, image, ctx), { recipe });
      return { jobId };
    },
    'iso.config': async ({ iso, cloudConfig, output }) => {
      const path = resolve(iso);
      const jobId = jobs.start('iso-config', `New cloud-config in ${fileName(path)}`, async (ctx) =>
        (await import('../artifacts/iso/swap-config.js')).swapIsoConfig({ iso: path, cloudConfig, ...(output !== undefined ? { output: resolve(output) } : {}) }, ctx),
      );
      return { jobId };
    },
    'bootTest.start': async ({ artifact, mode, timeoutSeconds, memoryMiB, accel, logFile, expect }) => {
      const path = resolve(artifact);
      const label = mode === 'secureboot' ? 'UEFI Secure Boot' : mode === 'netboot' ? 'Netboot' : mode === 'rpi3' ? 'Raspberry Pi 3' : mode === 'virt' ? 'arm64 virt' : mode.toUpperCase();
      const request = {
        artifact: path,
        firmware: mode === 'bios' ? ('bios' as const) : ('uefi' as const),
        ...(mode === 'rpi3' ? { machine: 'raspi3b' as const } : mode === 'virt' ? { machine: 'virt' as const } : {}),
        ...(mode === 'secureboot' ? { secureBoot: true } : {}),
        ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
        ...(memoryMiB !== undefined ? { memoryMiB } : {}),
        ...(accel !== undefined ? { accel } : {}),
        ...(logFile !== undefined ? { logFile: resolve(logFile) } : {}),
        ...(expect !== undefined ? { expect: { ...(expect.hostname !== undefined ? { hostname: expect.hostname } : {}), ...(expect.login ? { login: expect.login } : {}) } } : {}),
      };
      const jobId = jobs.start('boot-test', `Test ${fileName(path)} (${label})`, async (ctx) =>
        // Netboot: the folder (or its script) served over HTTP and booted through qemu's iPXE.
        mode === 'netboot' ? (await import('../boot-test/run-netboot-test.js')).runNetbootTest(request, ctx) : (await import('../boot-test/run-boot-test.js')).runBootTest(request, ctx),
        { inputs: { artifact: path, mode } },
      );
      return { jobId };
    },
    'drives.list': async ({ image, virtual }) => {
      const allowVirtual = virtual ?? (await store.settings()).showVirtualTargets;
      // An image that cannot be read is reported when flashing; the list still shows the drives.
      const [facts, list] = await Promise.all([image ? imageSizeFacts(image).catch(() => undefined) : undefined, drives.list(allowVirtual)]);
      return {
        drives: list.map((d) => driveStatus(d, facts?.image ?? {})),
        ...(facts?.image.size !== undefined ? { imageSize: facts.image.size } : {}),
        ...(facts && facts.image.size === undefined ? { imageSizeUnknown: true } : {}),
      };
    },
    'flash.start': async ({ image, targets, verify, confirmations, identities, bmap, virtual, cards: perCard }) => {
      const [{ checkTargets }, { flashImage, warmFlashHelper }] = await Promise.all([import('../flash/target-check.js'), import('../flash/write-image.js')]);
      const cards = perCard ? await cardValues(perCard, targets, identities, drives) : undefined;
      // Where no password is needed, the helper starts now and its start overlaps the checks
      // (with per-card values, the job makes each card's partition first: no helper waits for it).
      const warm = cards ? undefined : await warmFlashHelper(targets.map((t) => resolve(t)));
      try {
        const allowVirtual = virtual ?? (await store.settings()).showVirtualTargets;
        const facts = await imageSizeFacts(image);
        // The policy, now, for every shell; the helper applies it again before it opens the drives.
        await checkTargets({
          image: facts.image.path ?? resolve(image),
          ...(facts.image.size !== undefined ? { imageSize: facts.image.size } : {}),
          targets,
          allowVirtual,
          confirmations,
          ...(identities ? { picked: identities } : {}),
          drives: await drives.list(true),
        });
        const request = {
          image: resolve(image),
          targets: targets.map((path) => ({ path, ...(identities?.[path] ? { identity: identities[path] } : {}) })),
          confirmations,
          verify,
          allowVirtual,
          ...(bmap !== undefined ? { bmap } : {}),
          ...(cards ? { cards } : {}),
        };
        const jobId = jobs.start('flash', `Flash ${fileName(resolve(image))} to ${targets.join(', ')}`, (ctx) => flashImage(request, ctx, warm), { inputs: { image: request.image } });
        return { jobId };
      } catch (error) {
        warm?.discard();
        throw error;
      }
    },
    'job.cancel': async ({ jobId }) => {
      jobs.cancel(jobId);
      return {};
    },
    'job.get': ({ jobId }) => jobs.get(jobId),
    'job.log': ({ jobId }) => jobs.log(jobId),
    'artifact.show': async ({ jobId, index }) => {
      if (!options.showInFolder) throw new AppError('bad-request', 'Only the desktop app can open a folder', { hint: 'Download the artifact instead' });
      options.showInFolder((await jobs.artifact(jobId, index)).path);
      return {};
    },
    'jobs.list': () => jobs.list(),
    'kit.export': async ({ recipes: values, output }) => {
      const recipes = await Promise.all(values.map((v) => recipeOrThrow(v)));
      const file = resolve(output);
      const jobId = jobs.start('kit-export', `Export offline kit ${fileName(file)}`, async (ctx) => (await import('../kit/kit-export.js')).exportKit({ recipes, output: file }, ctx));
      return { jobId };
    },
    'kit.import': async ({ file: path }) => {
      const file = resolve(path);
      // The kit's recipes join the saved ones, never over a recipe of the same name.
      const onRecipe = async (name: string, yaml: string): Promise<void> => {
        if ((await store.listRecipes()).some((r) => r.name === name)) return;
        const parsed = (await recipes()).parseRecipeYaml(yaml);
        if (parsed.ok) await store.saveRecipe(parsed.recipe);
      };
      const jobId = jobs.start('kit-import', `Import offline kit ${fileName(file)}`, async (ctx) => (await import('../kit/kit-import.js')).importKit({ file, onRecipe }, ctx));
      return { jobId };
    },
    'engines.list': async () => listEngines(await engineChoice()),
    // ---- the kairos-operator (Kubernetes): the same checked manifests are written and submitted ----
    'kubernetes.export': async ({ recipe: value }) => {
      const recipe = await recipeOrThrow(value);
      const { exported, yaml } = await checkedOsArtifact(recipe);
      return { yaml, fileName: `${recipe.name}-osartifact.yaml`, notes: exported.notes };
    },
    'kubernetes.import': async ({ manifests }) => {
      const [{ yamlDocuments }, { osArtifactToRecipe }] = await Promise.all([import('../../src-shared/kubernetes/osartifact-yaml.js'), import('../../src-shared/kubernetes/osartifact-to-recipe.js')]);
      return osArtifactToRecipe(manifests.flatMap((m) => yamlDocuments(m.text, m.name)));
    },
    'kubernetes.apply': async ({ recipe: value, namespace, kubeconfig }) => {
      const recipe = await recipeOrThrow(value);
      const { exported } = await checkedOsArtifact(recipe);
      const request = { exported, ...(namespace !== undefined ? { namespace } : {}), ...(kubeconfig !== undefined ? { kubeconfig: resolve(kubeconfig) } : {}) };
      const jobId = jobs.start('build', `Build ${recipe.name} on Kubernetes`, async (ctx) => (await import('../kubernetes/apply-osartifact.js')).applyOsArtifact(request, ctx), { recipe });
      return { jobId, notes: exported.notes };
    },
  };

  return {
    async dispatch(name, payload) {
      try {
        if (!(REQUEST_NAMES as ReadonlyArray<string>).includes(name)) throw new AppError('bad-request', `Unknown request "${name}"`);
        const key = name as RequestName;
        const parsed = RequestSchemas[key].safeParse(payload ?? {});
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new AppError('bad-request', `Bad request ${name}: ${issue?.path.join('.') || 'payload'}: ${issue?.message ?? 'invalid'}`);
        }
        const handler = handlers[key] as (p: unknown) => Promise<unknown>;
        return { ok: true, value: await handler(parsed.data) };
      } catch (error) {
        return { ok: false, error: toErrorData(error) };
      }
    },
    onEvent(listener, events) {
      const watchDrives = events === undefined || events.includes('drives.changed');
      listeners.add(listener);
      if (watchDrives) drives.retain();
      return () => {
        listeners.delete(listener);
        if (watchDrives) drives.release();
      };
    },
    async close() {
      drives.stop();
      await jobs.shutdown();
    },
  };
}
