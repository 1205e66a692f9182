// Step 8: write an image to a USB stick or SD card, safely, and verify it.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DriveList } from '../../src-shared/api/contract.js';
import { confirmationWord, visibleDrives } from '../../src-shared/drives/drive-constraints.js';
import { driveKindLabel } from '../../src-shared/drives/drive-kind.js';
import { formatBytes } from '../../src-shared/util/format.js';
import { api } from '../api/api.js';
import { ErrorBox, toErrorData } from '../components/error-box.js';
import { JobPanel } from '../components/job-panel.js';
import { PathInput } from '../components/path-input.js';
import { Icon } from '../components/icons.js';
import { driveIcon } from '../components/icon-kinds.js';
import { useAppStore } from '../stores/app-store.js';
import { useJobView } from '../stores/jobs-store.js';
import { cardFacts } from '../../src-shared/flash/card-names.js';
import { IMAGE_EXTENSIONS } from '../../src-shared/flash/recent-images.js';
import { RecentImages } from '../start/recent-images.js';
import { CardValues, NO_CARD_VALUES, cardPlan, type CardValuesState } from './card-values.js';

/** The wizard's last step, and the flash door's body (with its own title and words). */
export function StepFlash({ title = 'Flash', lead = 'Write an image to a USB stick or SD card. The app checks the drive first and reads everything back after.' }: { readonly title?: string; readonly lead?: string } = {}) {
  const image = useAppStore((s) => s.flashImage);
  const flashJobId = useAppStore((s) => s.flashJobId);
  const settings = useAppStore((s) => s.settings);
  const setApp = useAppStore((s) => s.set);
  const [list, setList] = useState<DriveList | undefined>();
  const [selected, setSelected] = useState<ReadonlyArray<string>>([]);
  const [fileTarget, setFileTarget] = useState('');
  const [showHidden, setShowHidden] = useState(false);
  const [typed, setTyped] = useState<Readonly<Record<string, string>>>({});
  const [verify, setVerify] = useState(settings?.verifyAfterFlash ?? true);
  const [error, setError] = useState<ReturnType<typeof toErrorData> | undefined>();
  const [cardValues, setCardValues] = useState<CardValuesState>(NO_CARD_VALUES);
  // One flash at a time from this step: a second click while the first job starts or runs would
  // start another job on the same drives, which fails ("in use") and hides the first one's success.
  const [starting, setStarting] = useState(false);
  const startingNow = useRef(false); // set at once: two clicks can land before a re-render disables the button
  const flashRunning = useJobView(flashJobId)?.state === 'running';
  const busy = starting || flashRunning;

  const refresh = useCallback(() => {
    api.listDrives(image || undefined).then(setList, (e: unknown) => setError(toErrorData(e)));
  }, [image]);

  useEffect(() => {
    api.listDrives(image || undefined).then(setList, (e: unknown) => setError(toErrorData(e)));
    return api.on('drives.changed', refresh);
  }, [image, refresh]);

  const statuses = list ? visibleDrives(list.drives, showHidden) : [];
  // Several drives at once from one read of the image; drives that went away drop out of the choice.
  const chosen = statuses.filter((s) => selected.includes(s.drive.device) && s.selectable);
  const words = chosen.filter((s) => s.needsTypedConfirmation).map((s) => ({ device: s.drive.device, word: confirmationWord(s.drive) }));
  // Image files are targets only with loop devices and files shown: the engine refuses them otherwise.
  const virtualShown = settings?.showVirtualTargets ?? false;
  const targets = [...chosen.map((s) => s.drive.device), ...(virtualShown && fileTarget.trim() ? [fileTarget.trim()] : [])];
  // What each card's {serial} is made of: the drive as listed; an image file has only its path.
  const cards = targets.map((target) => cardFacts(target, chosen.find((s) => s.drive.device === target)?.drive.identity));
  const plan = cardPlan(cardValues, cards);
  const ready = Boolean(image && targets.length > 0 && words.every((w) => typed[w.device] === w.word) && plan.ok);
  const toggle = (device: string, on: boolean): void => setSelected((now) => (on ? [...now, device] : now.filter((d) => d !== device)));

  const flash = async (): Promise<void> => {
    if (busy || startingNow.current) return;
    startingNow.current = true;
    setStarting(true);
    setError(undefined);
    try {
      const { jobId } = await api.startFlash({
        image,
        targets,
        verify,
        confirmations: Object.fromEntries(words.map((w) => [w.device, typed[w.device] ?? ''])),
        // The drives as they were when picked: the engine refuses another drive under the same name.
        identities: Object.fromEntries(chosen.filter((s) => s.drive.identity).map((s) => [s.drive.device, s.drive.identity!])),
        ...(plan.request ? { cards: plan.request } : {}),
      });
      setApp({ flashJobId: jobId });
    } catch (e) {
      setError(toErrorData(e));
    } finally {
      startingNow.current = false;
      setStarting(false);
    }
  };

  return (
    <section aria-labelledby="step-title">
      <h2 id="step-title">{title}</h2>
      <p className="lead">{lead}</p>
      <PathInput
        label="Image"
        kind="file"
        extensions={IMAGE_EXTENSIONS}
        value={image}
        onChange={(flashImage) => setApp({ flashImage })}
        onCommit={() => refresh()}
      />
      {!image && <RecentImages limit={3} onPick={(flashImage) => setApp({ flashImage })} />}
      <fieldset className="drives">
        <legend>
          Target drives{' '}
          {list?.imageSize !== undefined
            ? `(the image needs ${formatBytes(list.imageSize)})`
            : list?.imageSizeUnknown
              ? "(the image's size is measured before anything is written)"
              : ''}
        </legend>
        {statuses.length === 0 && <p>No removable drive found. Plug in a USB stick or an SD card: the list updates by itself.</p>}
        {statuses.map((s) => (
          <label key={s.drive.device} className={`drive${s.selectable ? '' : ' disabled'}${selected.includes(s.drive.device) ? ' selected' : ''}`}>
            <input
              type="checkbox"
              name="drive"
              value={s.drive.device}
              disabled={!s.selectable}
              checked={selected.includes(s.drive.device)}
              onChange={(e) => toggle(s.drive.device, e.target.checked)}
            />
            <span className="drive-name">
              <Icon name={driveIcon(s.drive)} size={20} /> {s.drive.description} <code>{s.drive.device}</code> <span className={`drive-kind kind-${s.drive.kind}`}>{driveKindLabel(s.drive)}</span>
            </span>
            <span className="drive-size">{formatBytes(s.drive.size)}</span>
            {s.findings.map((f) => (
              <span key={f.code} className={`finding ${f.severity}`}>
                {f.message}
              </span>
            ))}
          </label>
        ))}
        <div className="actions">
          <label className="check">
            <input type="checkbox" checked={showHidden} onChange={(e) => setShowHidden(e.target.checked)} />
            Show system drives
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={settings?.showVirtualTargets ?? false}
              onChange={async (e) => {
                setApp({ settings: await api.setSettings({ showVirtualTargets: e.target.checked }) });
                refresh();
              }}
            />
            Show loop devices and image files
          </label>
          <button type="button" className="secondary" onClick={() => refresh()}>
            Refresh
          </button>
        </div>
      </fieldset>
      {words.map((w) => (
        <label key={w.device} className="field">
          Type <code>{w.word}</code> to confirm you want to overwrite this system drive
          <input value={typed[w.device] ?? ''} onChange={(e) => setTyped({ ...typed, [w.device]: e.target.value })} autoComplete="off" />
        </label>
      ))}
      {virtualShown && (
        <PathInput
          label="Or write to an image file"
          hint="A new file (created readable by you only), or one to overwrite (for VMs and testing)"
          kind="file"
          value={fileTarget}
          onChange={setFileTarget}
        />
      )}
      <CardValues cards={cards} state={cardValues} onChange={setCardValues} />
      <label className="check">
        <input type="checkbox" checked={verify} onChange={(e) => setVerify(e.target.checked)} />
        Verify by reading the drive back
      </label>
      <div className="actions">
        <button type="button" className="primary" disabled={!ready || busy} onClick={() => void flash()}>
          Flash now
        </button>
        {busy && <span className="muted">{starting ? 'Starting the flash…' : 'Flashing: wait for it to finish, or cancel it below.'}</span>}
      </div>
      <ErrorBox error={error} />
      {flashJobId && <JobPanel jobId={flashJobId} title="Flash" />}
    </section>
  );
}
