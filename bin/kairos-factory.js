#!/usr/bin/env node
// Launcher of the compiled CLI (npm run build writes dist/).
import { access } from 'node:fs/promises';

const entry = new URL('../dist/src-main/cli/run.js', import.meta.url);
try {
  await access(entry);
} catch {
  process.stderr.write('error: kairos-factory is not built yet. Run `npm run build` in its folder first.\n');
  process.exit(1);
}
await import(entry.href);
