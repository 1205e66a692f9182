// The engine picker: a web shell of the test's own whose Docker folder (DOCKER_CONFIG) holds two
// contexts naming this machine's engine and one naming a socket that is not there. Switching in
// the picker moves the Docker chip (engine and version) and the next request's engine, with no restart.
import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { EngineStatus } from '../../src-shared/api/contract.js';
import { dockerMissing, engine, expectAccessible, expectCleanConsole, openStart } from './support.js';
import { shellFolder, startWebShell, stopWebShell, type WebShell } from './web-shell.js';

let dir: string;
let shell: WebShell | undefined;
const realHost = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
const goneHost = 'unix:///nonexistent-kf-picker.sock';

async function context(name: string, host: string): Promise<void> {
  const meta = join(dir, 'docker', 'contexts', 'meta', createHash('sha256').update(name).digest('hex'));
  await mkdir(meta, { recursive: true });
  await writeFile(join(meta, 'meta.json'), JSON.stringify({ Name: name, Metadata: { Description: 'e2e' }, Endpoints: { docker: { Host: host, SkipTLSVerify: false } } }));
}

test.beforeEach(async () => {
  dir = await shellFolder('kf-e2e-engines-');
  await context('kf-picker-a', realHost);
  await context('kf-picker-b', realHost);
  await context('kf-picker-gone', goneHost);
});

test.afterEach(async () => {
  if (shell?.child.pid) await stopWebShell(shell.child.pid);
  shell = undefined;
  await rm(dir, { recursive: true, force: true });
});

test('switching engines in the picker moves the Docker chip and the next request', async ({ page }) => {
  await openStart(page);
  const missing = await dockerMissing(page);
  test.skip(missing !== undefined, missing);

  shell = await startWebShell(join(dir, 'data'), { DOCKER_CONFIG: join(dir, 'docker'), DOCKER_HOST: undefined, DOCKER_CONTEXT: undefined });
  await page.goto(shell.loginUrl);
  const status = await engine<EngineStatus>(page.request, 'engine.status', {}, shell);
  const version = status.engine?.version ?? '';
  expect(version).not.toBe('');

  const chip = page.getByRole('button', { name: /Docker/ });
  await expect(chip).toContainText(`${status.engine?.id} · ${version}`);
  await chip.click();
  const picker = page.getByRole('dialog', { name: 'Docker engine' });
  await expect(picker).toBeVisible();
  // Each engine with what it answered: OS/arch and version, or why not.
  await expect(picker.getByTestId('engine-kf-picker-a')).toContainText(`${status.engine?.os}/${status.engine?.arch}`);
  await expect(picker.getByTestId('engine-kf-picker-a')).toContainText(version);
  await expect(picker.getByTestId('engine-kf-picker-gone')).toContainText('does not answer: absent');
  await expect(picker.getByRole('radio', { name: /^Automatic/ })).toBeChecked();
  await expectAccessible(page, 'the engine picker');

  await picker.getByRole('radio', { name: /^kf-picker-a/ }).check();
  await expect(picker.getByRole('radio', { name: /^kf-picker-a/ })).toBeChecked();
  await expect(chip).toContainText(`kf-picker-a · ${version}`);

  // A dead engine: the chip says so, and the next request that needs Docker names it.
  await picker.getByRole('radio', { name: /^kf-picker-gone/ }).check();
  await expect(chip).toHaveClass(/\bbad\b/);
  await expect(chip).toHaveAttribute('title', new RegExp(`The Docker engine kf-picker-gone \\(${goneHost.replace(/[/]/g, '\\/')}\\), chosen by the engine setting, does not answer: absent`));
  // The scratch method reads the base image's os-release through the engine.
  const preview = { recipe: { name: 'picker-e2e', source: { baseImage: 'debian:bookworm' }, kairosify: { method: 'scratch' } } };
  await expect(engine(page.request, 'recipe.dockerfile', preview, shell)).rejects.toThrow(/kf-picker-gone/);

  await picker.getByRole('radio', { name: /^kf-picker-b/ }).check();
  await expect(chip).toHaveClass(/\bok\b/);
  await expect(chip).toContainText(`kf-picker-b · ${version}`);
  expect((await engine<{ text: string | null }>(page.request, 'recipe.dockerfile', preview, shell)).text).toMatch(/^FROM debian:bookworm/m);
  expect((await engine<EngineStatus>(page.request, 'engine.status', {}, shell)).engine?.id).toBe('kf-picker-b');
  expect((await engine<{ engine: string }>(page.request, 'settings.get', {}, shell)).engine).toBe('kf-picker-b');

  await picker.getByRole('button', { name: 'Close' }).click();
  await expect(picker).toBeHidden();
  expectCleanConsole(page);
});
