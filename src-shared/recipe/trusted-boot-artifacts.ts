// What turning Trusted Boot on or off does to the chosen artifacts. A Trusted Boot system boots
// only from a signed UKI, so leaving the ISO selected made the user meet an error two steps later;
// the wizard now changes the selection at once and says what it changed, on the Trusted Boot step.
import { ARTIFACT_CATALOG, TRUSTED_BOOT_ARTIFACTS, type ArtifactKind } from './catalog.js';

export interface ArtifactSwitch {
  readonly artifacts: ArtifactKind[];
  /** A sentence for the user; undefined when nothing changed. */
  readonly note?: string;
}

const label = (kind: ArtifactKind): string => `"${ARTIFACT_CATALOG.find((a) => a.id === kind)?.label ?? kind}"`;
const list = (kinds: ReadonlyArray<ArtifactKind>): string => kinds.map(label).join(', ');

/** The artifacts after Trusted Boot is turned on (`enabled`) or off, and what changed. */
export function artifactsForTrustedBoot(artifacts: ReadonlyArray<ArtifactKind>, enabled: boolean): ArtifactSwitch {
  if (enabled) {
    const dropped = artifacts.filter((a) => !TRUSTED_BOOT_ARTIFACTS.includes(a));
    const kept = artifacts.filter((a) => TRUSTED_BOOT_ARTIFACTS.includes(a));
    const next: ArtifactKind[] = kept.includes('uki') ? [...kept] : ['uki', ...kept];
    if (dropped.length === 0 && next.length === artifacts.length) return { artifacts: next };
    const unselected = dropped.length ? `; unselected ${list(dropped)}, which cannot boot a Trusted Boot system` : '';
    return { artifacts: next, note: `Artifacts: selected ${label('uki')}${unselected}. Change them on the Artifacts step.` };
  }
  if (!artifacts.includes('uki')) return { artifacts: [...artifacts] };
  const rest = artifacts.filter((a) => a !== 'uki');
  const next: ArtifactKind[] = rest.some((a) => a !== 'rootfs-tar') ? rest : ['iso', ...rest];
  const selected = next.includes('iso') && !artifacts.includes('iso') ? `; selected ${label('iso')} instead` : '';
  return { artifacts: next, note: `Artifacts: unselected ${label('uki')}, which needs Trusted Boot${selected}. Change them on the Artifacts step.` };
}
