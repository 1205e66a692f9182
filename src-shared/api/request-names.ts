// The names of the API's requests and events, with no dependencies: the Electron preload (a
// sandboxed script that can import nothing else) is built from this file alone.

export const REQUEST_NAMES = [
  'engine.status',
  'settings.get',
  'settings.set',
  'recipe.validate',
  'recipe.dockerfile',
  'recipe.list',
  'recipe.save',
  'recipe.load',
  'recipe.delete',
  'keys.check',
  'dialog.pick',
  'files.list',
  'build.start',
  'build.plan',
  'image.check',
  'iso.config',
  'bootTest.start',
  'drives.list',
  'flash.start',
  'job.cancel',
  'job.get',
  'job.log',
  'artifact.show',
  'jobs.list',
  'kit.export',
  'kit.import',
  'engines.list',
  // The kairos-operator: a recipe as an OSArtifact, a manifest as a recipe, a build on the cluster.
  'kubernetes.export',
  'kubernetes.import',
  'kubernetes.apply',
] as const;

export type RequestName = (typeof REQUEST_NAMES)[number];

export const EVENT_NAMES = ['job', 'job.summary', 'drives.changed'] as const;
export type EventName = (typeof EVENT_NAMES)[number];

/** "recipe.validate" -> "recipeValidate": the method name a preload or client exposes. */
export function methodName(name: RequestName): string {
  return name.replace(/\.(\w)/g, (_m, c: string) => c.toUpperCase());
}

/** The IPC channel of a request, and the one of all events. */
export const requestChannel = (name: RequestName): string => `kf:${name}`;
export const EVENT_CHANNEL = 'kf:event';
