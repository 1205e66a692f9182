// Linux AppImage: the app runs from a FUSE mount of the .AppImage (/tmp/.mount_XXXX) that only
// the user who started it may read; root gets "permission denied" on it, so
// `pkexec <mount>/kairos-factory <mount>/.../helper.mjs` cannot work. Pure; unit-tested.
//
// Chosen: root re-runs the .AppImage file itself (APPIMAGE) as the runtime, with
// ELECTRON_RUN_AS_NODE=1 and `-e LOADER` (Electron run as Node takes Node's options, -e
// included). The AppImage runtime mounts the image again, this time root's own mount, sets APPDIR
// to it, and the loader imports the helper from there. Not chosen: copying the helper out to a
// root-readable folder. The runtime (the Electron binary) lives in the mount too, so root has to
// run the AppImage anyway; a copy would add a file in a writable place that root then executes,
// and its clean-up, for nothing.
//
// electron-builder's AppRun puts --no-sandbox first when `unshare -Ur true` fails, and Node would
// refuse that option ("bad option"); AppRun adds it only when the arguments do not already hold
// it, so it is passed after `--`, where Node hands it to the helper, which ignores it.
import { posix } from 'node:path';

export interface AppImageLaunch {
  /** The .AppImage file. */
  readonly file: string;
  /** The helper's path inside the image, relative to its mount. */
  readonly helperInImage: string;
}

/** When the app runs from an AppImage and the helper is inside it: how root can start it. */
export function appImageLaunch(env: { readonly APPIMAGE?: string | undefined; readonly APPDIR?: string | undefined }, helperScript: string): AppImageLaunch | undefined {
  if (!env.APPIMAGE || !env.APPDIR) return undefined;
  const inside = posix.relative(env.APPDIR, helperScript);
  if (inside === '' || inside.startsWith('..') || posix.isAbsolute(inside)) return undefined;
  return { file: env.APPIMAGE, helperInImage: inside };
}

/** The `-e` program: imports the helper from the mount the AppImage runtime made (APPDIR). */
export function appImageLoader(helperInImage: string): string {
  return [
    'const dir = process.env.APPDIR;',
    "if (!dir) { console.error('APPDIR is not set: the flash helper must be started through the AppImage'); process.exit(1); }",
    `import(require('node:url').pathToFileURL(require('node:path').join(dir, ${JSON.stringify(helperInImage)})).href)`,
    '.catch((error) => { console.error(error); process.exit(1); });',
  ].join(' ');
}

/** The runtime and arguments (after env ELECTRON_RUN_AS_NODE=1) that start the helper from the AppImage. */
export function appImageCommand(launch: AppImageLaunch, helperArgs: ReadonlyArray<string>): string[] {
  return [launch.file, '-e', appImageLoader(launch.helperInImage), '--', '--no-sandbox', ...helperArgs];
}
