// One named function per request: components call these, never channel names.
import type { ApiTransport, EventMap, EventName, RequestPayload } from '../../src-shared/api/contract.js';
import { createTransport } from './transport.js';
import type { BootMode } from '../../src-shared/recipe/catalog.js';

let transport: ApiTransport | undefined;
const t = (): ApiTransport => (transport ??= createTransport());

/** Tests swap the transport (an in-memory one) before rendering. */
export function setTransport(next: ApiTransport): void {
  transport = next;
}

export const api = {
  engineStatus: () => t().request('engine.status', {}),
  getSettings: () => t().request('settings.get', {}),
  setSettings: (change: RequestPayload<'settings.set'>) => t().request('settings.set', change),
  validateRecipe: (recipe: unknown) => t().request('recipe.validate', { recipe }),
  /** A recipe file's text: problems come with their line and column. */
  validateRecipeYaml: (yaml: string) => t().request('recipe.validate', { yaml }),
  previewDockerfile: (recipe: unknown) => t().request('recipe.dockerfile', { recipe }),
  listRecipes: () => t().request('recipe.list', {}),
  saveRecipe: (recipe: unknown) => t().request('recipe.save', { recipe }),
  loadRecipe: (name: string) => t().request('recipe.load', { name }),
  deleteRecipe: (name: string) => t().request('recipe.delete', { name }),
  checkKeys: (folder: string) => t().request('keys.check', { folder }),
  pickPath: (request: RequestPayload<'dialog.pick'>) => t().request('dialog.pick', request),
  listFolder: (request: RequestPayload<'files.list'>) => t().request('files.list', request),
  startBuild: (recipe: unknown) => t().request('build.start', { recipe }),
  planBuild: (recipe: unknown) => t().request('build.plan', { recipe }),
  startBootTest: (artifact: string, mode: BootMode) => t().request('bootTest.start', { artifact, mode }),
  listDrives: (image?: string) => t().request('drives.list', image ? { image } : {}),
  startFlash: (request: RequestPayload<'flash.start'>) => t().request('flash.start', request),
  cancelJob: (jobId: string) => t().request('job.cancel', { jobId }),
  getJob: (jobId: string) => t().request('job.get', { jobId }),
  jobLog: (jobId: string) => t().request('job.log', { jobId }),
  showArtifact: (jobId: string, index: number) => t().request('artifact.show', { jobId, index }),
  listJobs: () => t().request('jobs.list', {}),
  exportKit: (recipes: ReadonlyArray<unknown>, output: string) => t().request('kit.export', { recipes: [...recipes], output }),
  importKit: (file: string) => t().request('kit.import', { file }),
  listEngines: () => t().request('engines.list', {}),
  // The kairos-operator (Kubernetes).
  exportOsArtifact: (recipe: unknown) => t().request('kubernetes.export', { recipe }),
  applyOsArtifact: (recipe: unknown) => t().request('kubernetes.apply', { recipe }),
  on: <E extends EventName>(event: E, listener: (payload: EventMap[E]) => void) => t().subscribe(event, listener),
  /** The event stream is back after a drop (web shell only): read again what it may have missed. */
  onReconnect: (listener: () => void): (() => void) => t().onReconnect?.(listener) ?? (() => undefined),
} as const;
