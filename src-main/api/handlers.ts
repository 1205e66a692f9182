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
import type { Recipe } from '../../src-shared/recipe/recipe-schema.js';
import { AppStore } from './app-store.js';
import { JobManager } from './job-manager.js';
import { DriveWatcher } from './drive-watcher.js';
import { imageSizeFacts } from './image-size.js';
import { isAbsolute, join, resolve } from 'node:path';

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

const fileName = (path: string): string => path.split(/[\\/]/).pop() ?? path;

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

  /** A recipe's output folder: relative ones live under the settings' output root. */
  const outputDirOf = async (recipe: Recipe, output?: string): Promise<string> => {
    if (output !== undefined) return resolve(output);
    return isAbsolute(recipe.output) ? recipe.output : join((await store.settings()).outputRoot, recipe.output);
  };

  const handlers: Handlers = {
    'engine.status': async () => (await import('./engine-status.js')).engineStatus(options.shell),
    'settings.get': () => store.settings(),
    'settings.set': (change) => store.updateSettings(Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined))),
    'recipe.validate': async (request) => {
      const [{ parseRecipeYaml, validateRecipe }, { frameworkOnlyNotes }] = await Promise.all([recipes(), import('../../src-shared/cloud-config/plain-image.js')]);
      const result = 'yaml' in request ? parseRecipeYaml(request.yaml) : validateRecipe(request.recipe);
      if (!result.ok) return { ok: false, issues: result.issues.map((i) => ('base' in i ? i.base : i)) };
      const notes = frameworkOnlyNotes(result.recipe).map((n) => ({ path: `cloudConfig.${n.path}`, message: `${n.message}${n.line !== undefined ? ` (line ${n.line} of the cloud-config)` : ''}` }));
      return { ok: true, recipe: result.recipe, ...(notes.length > 0 ? { notes } : {}) };
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
    'build.start': async ({ recipe: value, output }) => {
      const recipe = await recipeOrThrow(value);
      const outputDir = await outputDirOf(recipe, output);
      const jobId = jobs.start('build', `Build ${recipe.name}`, async (ctx) => (await import('../pipeline/build-pipeline.js')).runBuild({ recipe, outputDir }, ctx), recipe.name);
      return { jobId };
    },
    'image.check': async ({ recipe: value, image }) => {
      const recipe = await recipeOrThrow(value);
      const jobId = jobs.start('check', `Check ${image ?? recipe.name}`, async (ctx) => (await import('./image-check.js')).checkBuiltImage(recipe, image, ctx), recipe.name);
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
    'flash.start': async ({ image, targets, verify, confirmations, identities, bmap, virtual }) => {
      const [{ checkTargets }, { flashImage, warmFlashHelper }] = await Promise.all([import('../flash/target-check.js'), import('../flash/write-image.js')]);
      // Where no password is needed, the helper starts now and its start overlaps the checks.
      const warm = await warmFlashHelper(targets.map((t) => resolve(t)));
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
        };
        const jobId = jobs.start('flash', `Flash ${fileName(resolve(image))} to ${targets.join(', ')}`, (ctx) => flashImage(request, ctx, warm));
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
    'jobs.list': () => jobs.list(),
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
