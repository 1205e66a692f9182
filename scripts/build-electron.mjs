// Bundles the Electron preload into one CommonJS file: a sandboxed preload can import nothing
// but "electron", so src-shared's request names are inlined. The main process needs no bundling
// (it is the compiled ESM under dist/src-main).
import { rm } from 'node:fs/promises';
import { build } from 'esbuild';

await build({
  entryPoints: ['src-main/electron/preload.ts'],
  outfile: 'dist/electron/preload.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node22',
  external: ['electron'],
  logLevel: 'warning',
});

// The flash helper runs as its own process, often as root: self-contained (no node_modules
// lookups from a root process but drivelist's native module, which macOS and Windows need and
// which electron-builder unpacks next to it), kept outside the asar by electron-builder. Split in
// chunks: what a plain image on Linux needs loads at once (a flash starts in ~0.1 s); the built-in
// decoders, zip and the other OSes' drive readers load when used.
await rm('dist/flash-helper', { recursive: true, force: true });
await build({
  entryPoints: { helper: 'src-main/flash/helper-main.ts' },
  outdir: 'dist/flash-helper',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['drivelist'],
  banner: { js: "import { createRequire as __kfRequire } from 'node:module'; const require = __kfRequire(import.meta.url);" },
  logLevel: 'warning',
});
