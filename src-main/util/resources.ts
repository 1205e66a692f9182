// Where the app's shipped data (resources/) lives: next to package.json in a checkout or an npm
// install, under process.resourcesPath in a packaged Electron app, or where KF_RESOURCES says.
import { access } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: Promise<string> | undefined;

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

async function findResources(): Promise<string> {
  const fromEnv = process.env.KF_RESOURCES;
  if (fromEnv) return fromEnv;
  const packaged = (process as { resourcesPath?: string }).resourcesPath;
  if (packaged && (await exists(join(packaged, 'resources')))) return join(packaged, 'resources');
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if ((await exists(join(dir, 'package.json'))) && (await exists(join(dir, 'resources')))) return join(dir, 'resources');
    dir = dirname(dir);
  }
  throw new Error('cannot find the resources folder; set KF_RESOURCES');
}

export function resourcesDir(): Promise<string> {
  root ??= findResources();
  return root;
}

export async function resourcePath(...parts: string[]): Promise<string> {
  return join(await resourcesDir(), ...parts);
}
