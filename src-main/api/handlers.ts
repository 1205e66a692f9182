// The one table of API handlers. Electron's IPC, the web shell and the in-memory transport of the
// tests all call dispatch(): it checks the request name and payload, runs the handler, and turns
// any failure into plain error data.
import type { z } from 'zod';
import {
  REQUEST_NAMES,
  RequestSchemas,
  type Envelope,
  type EventMap,
  type EventName,
  type RequestName,
  type Response,
} from '../../src-shared/api/contract.js';
import { AppError, toErrorData } from '../../src-shared/errors/app-error.js';
import { confirmationWord, driveStatus } from '../../src-shared/drives/drive-constraints.js';
import { validateRecipe } from '../../src-shared/recipe/parse-recipe.js';
import type { Recipe } from '../../src-shared/recipe/recipe-schema.js';
import { runBootTest } from '../boot-test/run-boot-test.js';
import { flashImage } from '../flash/write-image.js';
import { runBuild } from '../pipeline/build-pipeline.js';
import { AppStore } from './app-store.js';
import { JobManager } from './job-manager.js';
import { engineStatus } from './engine-status.js';
import { checkKeysFolder } from './keys-check.js';
import { dockerfilePreview } from './dockerfile-preview.js';
import { DriveWatcher } from './drive-watcher.js';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { stat } from 'node:fs/promises';

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
  readonly shell: 'electron' | 'web' | 'memory';
  /** A native dialog; shells without one leave it out and the UI asks for typed paths. */
  readonly pickPath?: (request: PickRequest) => Promise<string | null>;
}

export interface ApiServer {
  dispatch(name: string, payload: unknown): Promise<Envelope<unknown>>;
  /** Every event for every client; returns the unsubscribe. */
  onEvent(listener: EventListener): () => void;
  close(): Promise<void>;
}

/** A file target: a regular file or a new one in an existing folder, never a device or the image. */
async function checkFileTarget(target: string, imagePath: string): Promise<void> {
  const path = resolve(target);
  if (!isAbsolute(target) || /^\/dev\//.test(path)) {
    throw new AppError('target-invalid', `${target} is not in the list of drives any more`, { hint: 'It may have been unplugged; refresh the list' });
  }
  if (path === imagePath) throw new AppError('target-invalid', 'The target is the image itself');
  const info = await stat(path).catch(() => undefined);
  if (info && !info.isFile()) throw new AppError('target-invalid', `${path} is not a regular file`);
  if (!info && !(await stat(dirname(path)).catch(() => undefined))?.isDirectory()) {
    throw new AppError('target-invalid', `The folder of ${path} does not exist`);
  }
}

function recipeOrThrow(value: unknown): Recipe {
  const result = validateRecipe(value);
  if (!result.ok) {
    const first = result.issues[0]?.base;
    throw new AppError('recipe-invalid', `The recipe is not valid: ${first?.path ? `${first.path}: ` : ''}${first?.message ?? ''}`, {
      hint: 'Fix the fields marked in the wizard',
    });
  }
  return result.recipe;
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

  /** A recipe's output folder: relative ones live under the settings' output root. */
  const outputDirOf = async (recipe: Recipe): Promise<string> =>
    isAbsolute(recipe.output) ? recipe.output : join((await store.settings()).outputRoot, recipe.output);

  const handlers: Handlers = {
    'engine.status': async () => engineStatus(options.shell),
    'settings.get': () => store.settings(),
    'settings.set': (change) => store.updateSettings(Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined))),
    'recipe.validate': async ({ recipe }) => {
      const result = validateRecipe(recipe);
      return result.ok ? result : { ok: false, issues: result.issues.map((i) => i.base) };
    },
    'recipe.dockerfile': async ({ recipe }) => dockerfilePreview(recipeOrThrow(recipe)),
    'recipe.list': () => store.listRecipes(),
    'recipe.save': ({ recipe }) => store.saveRecipe(recipeOrThrow(recipe)),
    'recipe.load': async ({ name }) => ({ recipe: await store.loadRecipe(name) }),
    'recipe.delete': async ({ name }) => {
      await store.deleteRecipe(name);
      return {};
    },
    'keys.check': ({ folder }) => checkKeysFolder(folder),
    'dialog.pick': async (request) => {
      if (!options.pickPath) throw new AppError('bad-request', 'No file dialogs here', { hint: 'Type the path instead' });
      return { path: await options.pickPath(request) };
    },
    'build.start': async ({ recipe: value }) => {
      const recipe = recipeOrThrow(value);
      const outputDir = await outputDirOf(recipe);
      const jobId = jobs.start('build', `Build ${recipe.name}`, (ctx) => runBuild({ recipe, outputDir }, ctx), recipe.name);
      return { jobId };
    },
    'bootTest.start': async ({ artifact, mode }) => {
      const path = resolve(artifact);
      const label = mode === 'secureboot' ? 'UEFI Secure Boot' : mode.toUpperCase();
      const request = { artifact: path, firmware: mode === 'bios' ? ('bios' as const) : ('uefi' as const), ...(mode === 'secureboot' ? { secureBoot: true } : {}) };
      const jobId = jobs.start('boot-test', `Test ${path.split(/[\\/]/).pop() ?? path} (${label})`, (ctx) => runBootTest(request, ctx));
      return { jobId };
    },
    'drives.list': async ({ image }) => {
      const settings = await store.settings();
      const imageSize = image ? (await stat(image).catch(() => undefined))?.size : undefined;
      const list = await drives.list(settings.showVirtualTargets);
      return {
        drives: list.map((d) => driveStatus(d, { ...(imageSize !== undefined ? { size: imageSize } : {}), ...(image ? { path: resolve(image) } : {}) })),
        ...(imageSize !== undefined ? { imageSize } : {}),
      };
    },
    'flash.start': async ({ image, targets, verify, confirmations }) => {
      const settings = await store.settings();
      const imagePath = resolve(image);
      const size = (await stat(imagePath).catch(() => undefined))?.size;
      if (size === undefined) throw new AppError('source-invalid', `Cannot read ${imagePath}`, { hint: 'Pick the image again' });
      // The targets must be drives of the current list, and pass the rules now, not only in the UI.
      const current = new Map((await drives.list(settings.showVirtualTargets)).map((d) => [d.device, d]));
      for (const target of targets) {
        const drive = current.get(target);
        if (!drive) {
          // Not a drive: then it must be an image file to write (new, or a regular file).
          await checkFileTarget(target, imagePath);
          continue;
        }
        const status = driveStatus(drive, { size, path: imagePath });
        const blocking = status.findings.find((f) => f.severity === 'error');
        if (blocking) throw new AppError('target-invalid', `${target}: ${blocking.message}`);
        if (status.needsTypedConfirmation && confirmations[target] !== confirmationWord(drive)) {
          throw new AppError('not-confirmed', `${target} looks like a system drive; type its name to confirm`);
        }
      }
      const jobId = jobs.start('flash', `Flash ${imagePath.split(/[\\/]/).pop() ?? ''} to ${targets.join(', ')}`, (ctx) => flashImage({ image: imagePath, targets, verify }, ctx));
      return { jobId };
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
    onEvent(listener) {
      listeners.add(listener);
      drives.retain();
      return () => {
        listeners.delete(listener);
        drives.release();
      };
    },
    async close() {
      drives.stop();
      await jobs.shutdown();
    },
  };
}
