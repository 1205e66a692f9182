// Submits an exported OSArtifact (already checked against the CRD and the operator's rules) to the
// cluster of the user's kubeconfig, through the official client (@kubernetes/client-node), and
// follows it as a job: .status.phase as the progress, the builder pod's log as the job's log,
// until Ready or Error. The client is imported when a submit runs: nothing else pays for it.
import { AppError } from '../../src-shared/errors/app-error.js';
import type { JobResult, Stage } from '../../src-shared/jobs/job-events.js';
import { ARTIFACT_POD_LABEL, type OsArtifactExport } from '../../src-shared/kubernetes/osartifact-types.js';
import type { JobContext } from '../jobs/job-context.js';

export interface ApplyRequest {
  readonly exported: OsArtifactExport;
  /** Default: the kubeconfig's current context's namespace, or "default". */
  readonly namespace?: string;
  /** A kubeconfig file; default: $KUBECONFIG or ~/.kube/config (or the in-cluster service account). */
  readonly kubeconfig?: string;
  /** How often the phase and the log are read (the operator's own UI polls every 2 s). */
  readonly pollMs?: number;
}

const GROUP = 'build.kairos.io';
const VERSION = 'v1alpha2';
const PLURAL = 'osartifacts';
/** The phases before the two final ones, in order, for the progress bar. */
const PHASES = ['Pending', 'Building', 'Exporting'] as const;
const STAGE: Stage = 'artifacts';

interface PodView {
  readonly metadata?: { readonly name?: string };
  readonly spec?: { readonly initContainers?: ReadonlyArray<{ readonly name: string }>; readonly containers?: ReadonlyArray<{ readonly name: string }> };
  readonly status?: {
    readonly initContainerStatuses?: ReadonlyArray<ContainerStatusView>;
    readonly containerStatuses?: ReadonlyArray<ContainerStatusView>;
  };
}
interface ContainerStatusView {
  readonly name: string;
  readonly state?: { readonly running?: unknown; readonly terminated?: unknown };
}

/** The API server's answer to a failed call, in words: its Status message when it sent one. */
function apiMessage(error: unknown): string {
  const e = error as { code?: unknown; body?: unknown; message?: string };
  let body: unknown = e.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      /* not JSON: the text itself */
    }
  }
  const message = typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string' ? (body as { message: string }).message : typeof body === 'string' && body !== '' ? body : e.message;
  // A status code is the server's answer; a string code (ECONNREFUSED) is the network's, already in the message.
  return `${typeof e.code === 'number' ? `HTTP ${e.code}: ` : ''}${message ?? String(error)}`;
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });

export async function applyOsArtifact(request: ApplyRequest, ctx: JobContext): Promise<JobResult> {
  const started = performance.now();
  const k8s = await import('@kubernetes/client-node');
  const kc = new k8s.KubeConfig();
  try {
    if (request.kubeconfig !== undefined) kc.loadFromFile(request.kubeconfig);
    else kc.loadFromDefault();
  } catch (error) {
    // The YAML parser's message quotes the lines around the error, which in a kubeconfig hold
    // tokens and keys: only its first line (what and where) is kept.
    const what = (error as Error).message.split('\n')[0]!.trim();
    throw new AppError('bad-request', `Cannot read the kubeconfig${request.kubeconfig !== undefined ? ` ${request.kubeconfig}` : ''}: ${what}`, { hint: 'Give one with --kubeconfig, or set KUBECONFIG' });
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new AppError('bad-request', 'The kubeconfig names no current cluster', { hint: 'kubectl config use-context NAME, or give --kubeconfig' });
  const namespace = request.namespace ?? kc.getContextObject(kc.getCurrentContext())?.namespace ?? 'default';
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const failed = (what: string) => (error: unknown): never => {
    throw new AppError('build-failed', `${what} on ${cluster.server} (namespace ${namespace}): ${apiMessage(error)}`, {
      hint: 'Check the kubeconfig, that the kairos-operator is installed (kubectl get crd osartifacts.build.kairos.io), and your rights in the namespace',
    });
  };

  const name = await ctx.runPhase(STAGE, 'submit', async () => {
    for (const secret of request.exported.secrets) {
      // The Secrets have fixed names (the OSArtifact refers to them): a second submit replaces them.
      await core.createNamespacedSecret({ namespace, body: secret }).catch(async (error: unknown) => {
        if ((error as { code?: number }).code !== 409) return failed(`Creating Secret ${secret.metadata.name}`)(error);
        return core.replaceNamespacedSecret({ name: secret.metadata.name, namespace, body: secret }).catch(failed(`Replacing Secret ${secret.metadata.name}`));
      });
      ctx.log(STAGE, `Secret ${secret.metadata.name} written in ${namespace}`);
    }
    const created = (await custom
      .createNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: PLURAL, body: request.exported.artifact })
      .catch(failed('Creating the OSArtifact'))) as { metadata?: { name?: string } };
    const createdName = created.metadata?.name;
    if (!createdName) throw new AppError('build-failed', 'The API server created the OSArtifact but gave no name back');
    ctx.log(STAGE, `OSArtifact ${createdName} created in ${namespace} on ${cluster.server}`);
    return createdName;
  });

  const meter = ctx.meter(STAGE, `OSArtifact ${name}`, 'steps', PHASES.length + 1);
  const printed = new Map<string, number>();
  /** New lines of each builder pod container that has started, in the pod's order. */
  const followLogs = async (): Promise<void> => {
    const pods = await core.listNamespacedPod({ namespace, labelSelector: `${ARTIFACT_POD_LABEL}=${name}` }).catch(() => undefined);
    for (const pod of (pods?.items ?? []) as ReadonlyArray<PodView>) {
      const podName = pod.metadata?.name;
      if (!podName) continue;
      const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
      for (const container of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
        const state = statuses.find((s) => s.name === container.name)?.state;
        if (!state?.running && !state?.terminated) continue;
        // The whole log is read again and only new lines are shown: a builder's log is a few MB
        // at most, and reading it whole survives the API server's stream limits.
        const text = await core.readNamespacedPodLog({ name: podName, namespace, container: container.name }).catch(() => undefined);
        if (typeof text !== 'string') continue;
        const lines = text.split('\n');
        if (lines[lines.length - 1] === '') lines.pop();
        const key = `${podName}/${container.name}`;
        // Shown as the job's own log lines, not as tool output (which the CLI shows only with -v):
        // between the operator's few phases, the builder's log is the only sign of progress.
        for (const line of lines.slice(printed.get(key) ?? 0)) ctx.log(STAGE, `${container.name}: ${line}`);
        printed.set(key, lines.length);
      }
    }
  };

  let phase = '';
  try {
    for (;;) {
      ctx.throwIfCancelled();
      const object = (await custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: PLURAL, name }).catch(failed(`Reading OSArtifact ${name}`))) as {
        status?: { phase?: string; message?: string };
      };
      const now = object.status?.phase ?? 'Pending';
      if (now !== phase) {
        if (phase !== '') ctx.phase(STAGE, phase, 'done');
        phase = now;
        ctx.log(STAGE, `OSArtifact ${name}: ${now}${object.status?.message ? ` (${object.status.message})` : ''}`);
        if (now !== 'Ready' && now !== 'Error') ctx.phase(STAGE, now, 'started');
      }
      await followLogs();
      const step = (PHASES as ReadonlyArray<string>).indexOf(now);
      meter.update(now === 'Ready' ? PHASES.length + 1 : Math.max(step, 0), now, true);
      if (now === 'Error') {
        throw new AppError('build-failed', `OSArtifact ${name} failed: ${object.status?.message ?? 'the operator gave no message'}`, {
          hint: `See the builder pod's log above, or kubectl -n ${namespace} describe osartifact ${name}`,
        });
      }
      if (now === 'Ready') break;
      await sleep(request.pollMs ?? 2000, ctx.signal);
    }
  } catch (error) {
    if (ctx.signal.aborted) {
      // A cancelled job stops the cluster's build too: the OSArtifact is deleted (its pods and Jobs go with it).
      await custom.deleteNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: PLURAL, name }).then(
        () => ctx.log(STAGE, `OSArtifact ${name} deleted`),
        (e: unknown) => ctx.log(STAGE, `OSArtifact ${name} could not be deleted: ${apiMessage(e)}`),
      );
    }
    throw error;
  }
  const built = request.exported.artifact.spec.image;
  return {
    ...(built.push && built.buildImage ? { image: `${built.buildImage.registry}/${built.buildImage.repository}:${built.buildImage.tag}` } : {}),
    message: `OSArtifact ${name} is Ready in namespace ${namespace}: its artifacts are in PersistentVolumeClaim ${name}-artifacts`,
    seconds: (performance.now() - started) / 1000,
  };
}
