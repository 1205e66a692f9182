// The Review step's Build on Kubernetes: a web shell of the test's own whose KUBECONFIG names a
// small local API server (test/fixtures/fake-kube-cluster.ts; no real one can be started on the CI
// machine). The OSArtifact is submitted and followed in the Build step like a local build: the
// operator's phases, the builder pod's log, and Ready as the job's end.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { FakeCluster, writeKubeconfig } from '../fixtures/fake-kube-cluster.js';
import { expectAccessible, expectCleanConsole, openStart, toReview } from './support.js';
import { shellFolder, startWebShell, stopWebShell, type WebShell } from './web-shell.js';

let dir: string;
let shell: WebShell | undefined;
let cluster: FakeCluster | undefined;

test.beforeEach(async () => {
  dir = await shellFolder('kf-e2e-kube-');
});

test.afterEach(async () => {
  if (shell?.child.pid) await stopWebShell(shell.child.pid);
  shell = undefined;
  await cluster?.stop();
  await rm(dir, { recursive: true, force: true });
});

test('Build on Kubernetes submits the OSArtifact and follows its phases and builder log to Ready', async ({ page }) => {
  cluster = new FakeCluster([{ phase: 'Pending' }, { phase: 'Building' }, { phase: 'Exporting' }, { phase: 'Ready' }]);
  const kubeconfig = join(dir, 'kubeconfig');
  await writeKubeconfig(kubeconfig, await cluster.start());
  shell = await startWebShell(join(dir, 'data'), { KUBECONFIG: kubeconfig });
  await openStart(page, shell.loginUrl);
  await page.getByRole('button', { name: /^Build an OS image/ }).click();
  await page.getByLabel('Name', { exact: true }).fill('kube-e2e');
  await toReview(page);

  await page.getByRole('button', { name: 'Build on Kubernetes' }).click();
  const panel = page.getByTestId('job-build');
  const log = panel.getByLabel('Build log');
  await expect(log).toContainText('OSArtifact kube-e2e-x7k2q created in builds');
  await expect(log).toContainText('OSArtifact kube-e2e-x7k2q: Building', { timeout: 20_000 });
  await expect(log).toContainText('build: step 1');
  await expect(panel).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(panel).toContainText('OSArtifact kube-e2e-x7k2q is Ready in namespace builds');
  // What was submitted: the cloud-config Secret, then the OSArtifact, in the kubeconfig's namespace.
  expect(cluster.calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual([
    '/api/v1/namespaces/builds/secrets',
    '/apis/build.kairos.io/v1alpha2/namespaces/builds/osartifacts',
  ]);
  expect(cluster.calls.find((c) => c.path.endsWith('/osartifacts'))?.body).toMatchObject({ apiVersion: 'build.kairos.io/v1alpha2', kind: 'OSArtifact', metadata: { generateName: 'kube-e2e-' } });
  await expect(log).not.toContainText('s3cret-token');
  await expectAccessible(page, 'Build step following an OSArtifact');
  expectCleanConsole(page);
});
