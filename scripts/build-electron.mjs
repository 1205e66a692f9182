// Bundles the Electron preload into one CommonJS file: a sandboxed preload can import nothing
// but "electron", so src-shared's request names are inlined. The main process needs no bundling
// (it is the compiled ESM under dist/src-main).
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

// The flash helper runs as its own process, often as root: one self-contained file (no
// node_modules lookups from a root process), kept outside the asar by electron-builder.
await build({
  entryPoints: ['src-main/flash/helper-main.ts'],
  outfile: 'dist/flash-helper/helper.mjs',
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  banner: { js: "import { createRequire as __kfRequire } from 'node:module'; const require = __kfRequire(import.meta.url);" },
  logLevel: 'warning',
});
