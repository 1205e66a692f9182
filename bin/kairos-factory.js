#!/usr/bin/env node
// Launcher of the compiled CLI (npm run build writes dist/). `--version` is answered here, from
// one small module: it needs nothing else, and scripts call it often.
import { access } from 'node:fs/promises';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  try {
    const { APP_VERSION } = await import('../dist/src-shared/version.js');
    process.stdout.write(`${APP_VERSION}\n`);
    process.exit(0);
  } catch {
    // not built yet: the message below says what to do
  }
}
const entry = new URL('../dist/src-main/cli/run.js', import.meta.url);
try {
  await access(entry);
} catch {
  process.stderr.write('error: kairos-factory is not built yet. Run `npm run build` in its folder first.\n');
  process.exit(1);
}
await import(entry.href);
