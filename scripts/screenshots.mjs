// Copies the screenshots the README shows from the browser tests' output
// (test-results/screenshots/, written by `npm test` or `npm run test:e2e`) into docs/screenshots/,
// so the README's pictures are the app as the tests last saw it. Only the pictures the README
// names are copied; one the tests did not take is reported and fails the run.
import { copyFileSync, existsSync, readFileSync, statSync } from 'node:fs';

const FROM = 'test-results/screenshots';
const TO = 'docs/screenshots';
const names = [...new Set([...readFileSync('README.md', 'utf8').matchAll(/docs\/screenshots\/([\w.-]+\.png)/g)].map((m) => m[1]))];
const missing = [];
for (const name of names) {
  const source = `${FROM}/${name}`;
  if (!existsSync(source)) {
    missing.push(name);
    continue;
  }
  copyFileSync(source, `${TO}/${name}`);
  console.log(`${name}  (taken ${statSync(source).mtime.toISOString()})`);
}
if (missing.length > 0) {
  console.error(`not taken by the last test run: ${missing.join(', ')} (run \`npm run test:e2e\` first; the build, boot and flash pictures need Docker, qemu and root)`);
  process.exit(1);
}
console.log(`${names.length} screenshots copied to ${TO}/`);
