// A finished build's artifacts, each with what can be done with it: Test in VM (the boot modes it
// has, when this machine can boot them), Flash, Download in the web shell (the files live on the
// engine's machine) and Show in folder in the desktop app. Shown by the Build step and by a build's history entry.
import type { EngineStatus } from '../../src-shared/api/contract.js';
import type { ArtifactInfo } from '../../src-shared/jobs/job-events.js';
import { bootModesFor, type BootMode } from '../../src-shared/recipe/catalog.js';
import { formatBytes } from '../../src-shared/util/format.js';
import { api } from '../api/api.js';
import { artifactDownloadUrl } from '../api/downloads.js';
import { useAppStore } from '../stores/app-store.js';
import { ErrorBox } from './error-box.js';
import { useAction } from './use-action.js';
import { clickLink } from './save-file.js';

const BOOT_MODE_LABELS: Record<BootMode, string> = { bios: 'BIOS', uefi: 'UEFI', secureboot: 'Secure Boot', netboot: 'Netboot', virt: 'arm64 UEFI', rpi3: 'Raspberry Pi 3' };

/** Whether this machine can run a boot test: qemu for the CPU, and the UEFI firmware it needs. */
function canBoot(status: EngineStatus | undefined, mode: BootMode): boolean {
  if (mode === 'virt' || mode === 'rpi3') return Boolean(status?.arm64Qemu?.ok);
  return Boolean(status?.qemu.ok) && (!(mode === 'uefi' || mode === 'secureboot') || Boolean(status?.uefiFirmware.ok));
}

export function ArtifactList({ jobId, artifacts, onBootStarted }: { readonly jobId: string; readonly artifacts: ReadonlyArray<ArtifactInfo>; readonly onBootStarted: (jobId: string) => void }) {
  const status = useAppStore((s) => s.status);
  const setApp = useAppStore((s) => s.set);
  const [error, run] = useAction();
  const bootTest = (artifact: ArtifactInfo, mode: BootMode) => run(async () => onBootStarted((await api.startBootTest(artifact.path, mode)).jobId));
  const download = (index: number) => run(async () => clickLink(await artifactDownloadUrl(jobId, index)));

  return (
    <>
      <ul className="artifacts" aria-label="Artifacts">
        {artifacts.map((a, index) => (
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
              {status?.shell === 'web' && a.kind !== 'netboot' && (
                <button type="button" className="secondary" onClick={() => void download(index)}>
                  Download <span className="sr-only">{a.path.split('/').pop()}</span>
                </button>
              )}
              {status?.shell === 'electron' && (
                <button type="button" className="secondary" onClick={() => void run(async () => void (await api.showArtifact(jobId, index)))}>
                  Show in folder
                </button>
              )}
              <button type="button" className="primary" onClick={() => setApp({ flashImage: a.path, step: 'flash', view: 'wizard' })}>
                Flash…
              </button>
            </div>
          </li>
        ))}
      </ul>
      {!status?.qemu.ok && status?.qemu.hint && <p className="hint">{status.qemu.hint}</p>}
      {artifacts.some((a) => bootModesFor(a.kind, a.path).some((m) => m === 'virt' || m === 'rpi3')) && status?.arm64Qemu && !status.arm64Qemu.ok && (
        <p className="hint">
          {status.arm64Qemu.message}
          {status.arm64Qemu.hint ? `: ${status.arm64Qemu.hint}` : ''}
        </p>
      )}
      <ErrorBox error={error} />
    </>
  );
}
