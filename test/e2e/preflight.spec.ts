// The one preflight in the wizard: what `validate` and the build refuse, the wizard refuses too,
// at the step of the field (a broken Dockerfile template) or on Review with Edit (a root
// filesystem path that does not exist), and Start build waits, saying why.
import { expect, test } from '@playwright/test';
import type { BuildPlan } from '../../src-shared/plan/build-plan.js';
import { choosePassword, expectAccessible, engine, next, openApp, shot, toReview } from './support.js';

test('a broken Dockerfile template blocks Next, naming its line and column', async ({ page }) => {
  await openApp(page);
  await page.getByRole('radio', { name: /^Your Dockerfile/ }).check();
  const dockerfile = page.getByLabel('Dockerfile', { exact: true });
  await dockerfile.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await dockerfile.pressSequentially('FROM {{ .BaseImage }');
  await expect(page.getByText(/Dockerfile line 1, column 6: .*fix the template/)).toBeVisible();
  await expect(page.getByTestId('next')).toBeDisabled();
  await page.keyboard.type('}');
  await expect(page.getByTestId('next')).toBeEnabled();
});

test('a root filesystem that does not exist is named on Review, with Edit, and Start build waits', async ({ page }) => {
  await openApp(page);
  await page.getByRole('radio', { name: /^A root filesystem/ }).check();
  await page.getByRole('textbox', { name: 'Root filesystem' }).pressSequentially('/nonexistent/kf-e2e-rootfs');
  await toReview(page);
  const problems = page.getByTestId('preflight-problems');
  await expect(problems).toContainText('source.path the root filesystem /nonexistent/kf-e2e-rootfs does not exist: check the path');
  await expect(page.getByRole('button', { name: 'Start build' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Start build' })).toHaveAccessibleDescription('Fix the errors listed above first.');
  await expectAccessible(page, 'Review with a problem');
  await problems.getByRole('button', { name: 'Edit Source' }).click();
  await expect(page.getByRole('heading', { name: 'Source', level: 2 })).toBeVisible();
});

test('with Docker down, Review shows a banner with the fix and Start build says why it waits', async ({ page }) => {
  // The engine's own answer, with Docker's check as a stopped daemon gives it.
  await page.route('**/api/request/engine.status', async (route) => {
    const real = (await (await route.fetch()).json()) as { ok: true; value: Record<string, unknown> };
    const docker = { ok: false, message: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock', hint: 'Start Docker: sudo systemctl start docker' };
    await route.fulfill({ json: { ok: true, value: { ...real.value, docker } } });
  });
  await openApp(page);
  await toReview(page);
  await expect(page.getByTestId('docker-down')).toHaveText('Docker is not reachable: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Start Docker: sudo systemctl start docker');
  const start = page.getByRole('button', { name: 'Start build' });
  await expect(start).toBeDisabled();
  await expect(start).toHaveAccessibleDescription('Docker is not running: start it first (see above).');
  await expectAccessible(page, 'Review with Docker down');
});

test('Trusted Boot on swaps the ISO for the signed UKI at once, saying so; an ISO chosen again is refused in the wizard\'s words', async ({ page }) => {
  await openApp(page);
  await next(page);
  await next(page);
  await page.getByRole('radio', { name: /^Use my keys/ }).check();
  // Said on the step where it happens, not two steps later.
  await expect(page.getByTestId('trusted-boot-artifacts')).toHaveText('Artifacts: selected "Signed UKI"; unselected "Hybrid ISO", which cannot boot a Trusted Boot system. Change them on the Artifacts step.');
  await expect(page.getByText('choose the folder with your keys (PK, KEK, db and the TPM PCR key), or generate keys when building')).toBeVisible();
  await expect(page.getByText(/Too small/)).toHaveCount(0);
  await page.getByRole('radio', { name: /^Generate keys when building/ }).check();
  await next(page);
  await choosePassword(page);
  await next(page);
  await expect(page.getByRole('heading', { name: 'Artifacts', level: 2 })).toBeVisible();
  await expect(page.getByRole('checkbox', { name: /^Signed UKI/ })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: /^Hybrid ISO/ })).not.toBeChecked();
  await expect(page.getByTestId('next')).toBeEnabled();
  await page.getByRole('checkbox', { name: /^Hybrid ISO/ }).check();
  await expect(page.getByText('Trusted Boot is on, and such a system boots only from a signed UKI: choose "Signed UKI" (uki), and unselect "Hybrid ISO" (iso) (a root filesystem tarball may stay)')).toBeVisible();
  await expect(page.getByTestId('next')).toBeDisabled();
  await page.getByRole('checkbox', { name: /^Hybrid ISO/ }).uncheck();
  await expect(page.getByTestId('next')).toBeEnabled();
});

test("Review shows the plan: each image, whether it is on the engine and needs the network, and the summary, as the engine answers build.plan", async ({ page }) => {
  await openApp(page);
  await toReview(page);
  const card = page.getByTestId('build-plan');
  await expect(card.getByRole('heading', { name: 'What the build needs' })).toBeVisible();
  await expect(card.getByTestId('plan-summary')).toHaveText(/^(needs the network for: .+|everything is here: builds offline)$/);
  // The engine's own plan of the recipe Review shows (its YAML, read back by the engine).
  const { recipe } = await engine<{ recipe: unknown }>(page.request, 'recipe.validate', { yaml: await page.getByLabel('Recipe YAML').innerText() });
  const plan = await engine<BuildPlan>(page.request, 'build.plan', { recipe });
  await expect(card.getByTestId('plan-summary')).toHaveText(plan.summary);
  const rows = card.getByTestId('plan-image');
  await expect(rows).toHaveCount(plan.images.length);
  const words = { here: 'Here', pull: 'To pull', build: 'To build', import: 'To import', 'not-needed': 'Not needed' } as const;
  for (const [n, image] of plan.images.entries()) {
    const cells = rows.nth(n).getByRole('cell');
    await expect(cells.nth(0)).toContainText(image.ref);
    await expect(cells.nth(1)).toHaveText(image.role);
    await expect(cells.nth(2)).toHaveText(words[image.state]);
    await expect(cells.nth(3)).toHaveText(image.network ? 'Needs the network' : 'No');
  }
  // The recipe's own image is never on a fresh engine's list of pulls: it is built or here.
  expect(plan.images.find((i) => i.role === 'kairosified')?.state).toMatch(/^(build|here)$/);
  await expect(card.getByTestId('plan-packages')).toHaveCount(plan.packages.length);
  await expectAccessible(page, 'Review with the plan');
  await card.scrollIntoViewIfNeeded();
  await shot(page, '06-review-plan');
});
