// Step 7: the build as it happens (phases, progress, log, cancel), then its artifacts with
// "Test in VM" and "Flash" (also for a finished build opened from Recent).
import { useState } from 'react';
import type { EngineStatus } from '../../src-shared/api/contract.js';
import type { ArtifactInfo } from '../../src-shared/jobs/job-events.js';
import { formatBytes, formatDuration } from '../../src-shared/util/format.js';
import { bootModesFor, type BootMode } from '../../src-shared/recipe/catalog.js';
import { api } from '../api/api.js';
import { ErrorBox, toErrorData } from '../components/error-box.js';
import { JobPanel } from '../components/job-panel.js';
import { useAppStore } from '../stores/app-store.js';
import { useJobView } from '../stores/jobs-store.js';


const BOOT_MODE_LABELS: Record<BootMode, string> = { bios: 'BIOS', uefi: 'UEFI', secureboot: 'Secure Boot', netboot: 'Netboot', virt: 'arm64 UEFI', rpi3: 'Raspberry Pi 3' };

/** Whether this machine can run a boot test: qemu for the CPU, and the UEFI firmware it needs. */
function canBoot(status: EngineStatus | undefined, mode: BootMode): boolean {
  if (mode === 'virt' || mode === 'rpi3') return Boolean(status?.arm64Qemu?.ok);
  return Boolean(status?.qemu.ok) && (!(mode === 'uefi' || mode === 'secureboot') || Boolean(status?.uefiFirmware.ok));
}
export function StepBuild() {
  const jobId = useAppStore((s) => s.buildJobId);
  const bootJobId = useAppStore((s) => s.bootJobId);
  const status = useAppStore((s) => s.status);
  const setApp = useAppStore((s) => s.set);
  // A build opened from Recent shows its artifacts from its summary, even when its log is gone.
  const job = useJobView(jobId);
  const [error, setError] = useState<ReturnType<typeof toErrorData> | undefined>();

  if (!jobId) {
    return (
      <section aria-labelledby="step-title">
        <h2 id="step-title">Build</h2>
        <p className="lead">No build yet: review the recipe and press Build.</p>
      </section>
    );
  }

  const bootTest = async (artifact: ArtifactInfo, mode: BootMode): Promise<void> => {
    setError(undefined);
    try {
      const { jobId: id } = await api.startBootTest(artifact.path, mode);
      setApp({ bootJobId: id });
    } catch (e) {
      setError(toErrorData(e));
    }
  };

  return (
    <section aria-labelledby="step-title">
      <h2 id="step-title">Build</h2>
      <JobPanel jobId={jobId} title="Build" />
      {job?.state === 'done' && job.result && (
        <div className="result" data-testid="build-result">
          <h3>Built in {formatDuration(job.result.seconds)}</h3>
          {job.result.image && (
            <p>
              Image <code>{job.result.image}</code>
            </p>
          )}
          <ul className="artifacts">
            {(job.result.artifacts ?? []).map((a) => (
              <li key={a.path}>
                <div>
                  <strong>{a.kind.toUpperCase()}</strong> <code data-testid="artifact-path">{a.path}</code> ({formatBytes(a.size)})
                  <div className="sha">
                    SHA-256 <code>{a.sha256}</code>
                  </div>
                </div>
                <div className="actions">
                  {bootModesFor(a.kind, a.path).map((mode) => (
                    <button
                      key={mode}
                      type="button"
                      className="secondary"
                      disabled={!canBoot(status, mode)}
                      title={mode === 'rpi3' ? "qemu's Raspberry Pi 3 B, from the card's own U-Boot" : mode === 'virt' ? "qemu's arm64 machine with UEFI" : undefined}
                      onClick={() => void bootTest(a, mode)}
                    >
                      Test in VM ({BOOT_MODE_LABELS[mode]})
                    </button>
                  ))}
                  <button type="button" className="primary" onClick={() => setApp({ flashImage: a.path, step: 'flash' })}>
                    Flash…
                  </button>
                </div>
              </li>
            ))}
          </ul>
          {!status?.qemu.ok && status?.qemu.hint && <p className="hint">{status.qemu.hint}</p>}
          {(job.result.artifacts ?? []).some((a) => bootModesFor(a.kind, a.path).some((m) => m === 'virt' || m === 'rpi3')) && status?.arm64Qemu && !status.arm64Qemu.ok && (
            <p className="hint">{status.arm64Qemu.message}{status.arm64Qemu.hint ? `: ${status.arm64Qemu.hint}` : ''}</p>
          )}
        </div>
      )}
      <ErrorBox error={error} />
      {bootJobId && <JobPanel jobId={bootJobId} title="Test in VM" />}
    </section>
  );
}
