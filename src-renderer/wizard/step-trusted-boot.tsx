// Step 3: Trusted Boot (Secure Boot + measured boot with a signed UKI).
import { useEffect, useState } from 'react';
import type { KeysCheck } from '../../src-shared/api/contract.js';
import type { SecureBootEnroll } from '../../src-shared/recipe/catalog.js';
import { api } from '../api/api.js';
import { Choices } from '../components/field.js';
import { PathInput } from '../components/path-input.js';
import { ErrorBox, toErrorData } from '../components/error-box.js';
import { useAppStore } from '../stores/app-store.js';
import { issueAt, useRecipeStore } from '../stores/recipe-store.js';
import type { ArtifactKind } from '../../src-shared/recipe/catalog.js';
import { artifactsForTrustedBoot } from '../../src-shared/recipe/trusted-boot-artifacts.js';

type Mode = 'off' | 'generate' | 'folder';

export function StepTrustedBoot() {
  const trusted = useRecipeStore((s) => s.draft.trustedBoot ?? {});
  const artifacts = useRecipeStore((s) => (s.draft.artifacts ?? []) as ReadonlyArray<ArtifactKind>);
  const [artifactNote, setArtifactNote] = useState<string | undefined>();
  const issues = useRecipeStore((s) => s.issues);
  const patch = useRecipeStore((s) => s.patch);
  const setBlockers = useAppStore((s) => s.setBlockers);
  const [check, setCheck] = useState<KeysCheck | undefined>();
  const [checkError, setCheckError] = useState<ReturnType<typeof toErrorData> | undefined>();
  const mode: Mode = !trusted.enabled ? 'off' : trusted.keysFolder !== undefined ? 'folder' : 'generate';

  const runCheck = async (folder: string): Promise<void> => {
    setCheckError(undefined);
    if (!folder) return setCheck(undefined);
    try {
      setCheck(await api.checkKeys(folder));
    } catch (error) {
      setCheckError(toErrorData(error));
    }
  };

  useEffect(() => {
    if (mode !== 'folder') return setBlockers('trusted-boot', []);
    if (!trusted.keysFolder) return setBlockers('trusted-boot', ['Pick the keys folder']);
    if (!check || check.folder !== trusted.keysFolder) return setBlockers('trusted-boot', ['Checking the keys folder…']);
    setBlockers('trusted-boot', check.ok ? [] : ['The keys folder is incomplete']);
  }, [mode, trusted.keysFolder, check, setBlockers]);

  // A folder already in the recipe (a reopened one) is checked when the step opens.
  const initialFolder = mode === 'folder' ? trusted.keysFolder : undefined;
  useEffect(() => {
    if (initialFolder) api.checkKeys(initialFolder).then(setCheck, (e: unknown) => setCheckError(toErrorData(e)));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <section aria-labelledby="step-title">
      <h2 id="step-title">Trusted Boot</h2>
      <p className="lead">
        Trusted Boot signs the kernel, initrd and command line as one UKI, enforced by Secure Boot and measured into the TPM, so the disk is unlocked
        only for the system you built.
      </p>
      <Choices<Mode>
        legend="Trusted Boot"
        name="trusted-boot"
        value={mode}
        error={issueAt(issues, 'trustedBoot')}
        onChange={(next) => {
          const enroll = trusted.enroll ? { enroll: trusted.enroll } : {};
          // The artifacts follow at once (a Trusted Boot system boots only from a signed UKI),
          // and the step says what changed rather than leaving an error for the Artifacts step.
          const switched = (next === 'off') !== (mode === 'off') ? artifactsForTrustedBoot(artifacts, next !== 'off') : undefined;
          const withArtifacts = switched ? { artifacts: switched.artifacts as ['iso'] } : {};
          if (switched) setArtifactNote(switched.note);
          if (next === 'off') patch({ trustedBoot: { enabled: false }, ...withArtifacts });
          else if (next === 'generate') patch({ trustedBoot: { enabled: true, ...enroll }, ...withArtifacts });
          else patch({ trustedBoot: { enabled: true, keysFolder: trusted.keysFolder ?? '', ...enroll }, ...withArtifacts });
        }}
        options={[
          { value: 'off', label: 'Off', description: 'GRUB boots the image (any machine)' },
          { value: 'generate', label: 'Generate keys when building', description: 'New PK, KEK, db and TPM keys, saved with the artifacts (0600)' },
          { value: 'folder', label: 'Use my keys', description: 'A folder with PK, KEK, db and the TPM PCR key' },
        ]}
      />
      {artifactNote && (
        <p className="notice" role="status" data-testid="trusted-boot-artifacts">
          {artifactNote}
        </p>
      )}
      {mode !== 'off' && (
        <Choices<SecureBootEnroll>
          legend="Key enrolment from the ISO"
          name="secure-boot-enroll"
          value={trusted.enroll ?? 'manual'}
          error={issueAt(issues, 'trustedBoot.enroll')}
          onChange={(enroll) => patch({ trustedBoot: { ...trusted, enabled: true, enroll } })}
          options={[
            { value: 'manual', label: 'From the boot menu', description: 'A machine in Setup Mode offers "Enroll Secure Boot keys"' },
            { value: 'force', label: 'Automatically', description: 'At once in a VM, after a 15 s countdown on hardware' },
            { value: 'off', label: 'Never', description: 'Keys are enrolled by other means' },
          ]}
        />
      )}
      {mode === 'folder' && (
        <>
          <PathInput
            label="Keys folder"
            hint="As `auroraboot genkey` writes it: PK/KEK/db .crt and .auth, db.key, tpm2-pcr-private.pem"
            kind="folder"
            value={trusted.keysFolder ?? ''}
            onChange={(keysFolder) => patch({ trustedBoot: { ...trusted, enabled: true, keysFolder } })}
            onCommit={(folder) => void runCheck(folder)}
          />
          <ErrorBox error={checkError} />
          {check && check.folder === trusted.keysFolder && (
            <ul className="file-checks" aria-label="Keys found">
              {check.files.map((f) => (
                <li key={f.name} className={f.problem ? 'bad' : 'good'}>
                  <span aria-hidden="true">{f.problem ? '✗' : '✓'}</span> <code>{f.name}</code>
                  {f.problem ? `: ${f.problem}` : ''}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
