// Prints what the renderer's first paint downloads (the files index.html names), gzipped, and
// fails the build above the budget. Chunks loaded later (the YAML editor) are listed apart.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 300;
const dir = 'dist/renderer';
const html = await readFile(join(dir, 'index.html'), 'utf8');
const initial = new Set(['index.html', ...[...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => m[1])]);
const gz = async (file) => gzipSync(await readFile(join(dir, file)), { level: 9 }).length / 1024;

let total = 0;
for (const file of initial) total += await gz(file);
const lazy = [];
for (const file of await readdir(join(dir, 'assets'))) {
  if (!file.endsWith('.map') && !initial.has(`assets/${file}`)) lazy.push(`${file} ${(await gz(`assets/${file}`)).toFixed(1)} KB`);
}
console.log(`renderer initial load: ${total.toFixed(1)} KB gzipped (budget ${BUDGET_KB} KB); loaded later: ${lazy.join(', ') || 'nothing'}`);
if (total > BUDGET_KB) {
  console.error(`error: the initial load is over the ${BUDGET_KB} KB budget; split something out (see vite.config.ts)`);
  process.exit(1);
}
