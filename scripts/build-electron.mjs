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
