// "I just want to flash this image": image -> drives -> flash, without the wizard, and when the
// job is done a completion screen that says the drives are safe to remove. The body is the
// wizard's Flash step (one drive list, one set of checks); a file dropped on the window is taken
// as the image where the shell can name its path (Electron).
import { useState } from 'react';
import { useAppStore } from '../stores/app-store.js';
import { Icon } from '../components/icons.js';
import { useJobView, useJobsStore } from '../stores/jobs-store.js';
import { StepFlash } from '../wizard/step-flash.js';

interface DropBridge {
  readonly pathForFile?: (file: File) => string;
}

function FlashComplete({ message, drives }: { readonly message: string | undefined; readonly drives: number }) {
  const set = useAppStore((s) => s.set);
  const plural = drives === 1 ? '' : 's';
  return (
    <section className="complete step-body" aria-labelledby="complete-title">
      <span className="complete-icon">
        <Icon name="done" size={44} />
      </span>
      <h2 id="complete-title">Flash complete</h2>
      {message && <p role="status">{message}.</p>}
      <p className="lead">
        Everything was written and synced: it is safe to remove the drive{plural} now.
      </p>
      <div className="actions">
        <button type="button" className="primary" onClick={() => set({ flashJobId: undefined })}>
          Flash another card
        </button>
        <button type="button" className="secondary" onClick={() => set({ door: 'start', flashJobId: undefined })}>
          Back to start
        </button>
      </div>
    </section>
  );
}

export function FlashDoor() {
  const flashJobId = useAppStore((s) => s.flashJobId);
  const set = useAppStore((s) => s.set);
  const job = useJobView(flashJobId);
  const [dropNote, setDropNote] = useState<string | undefined>();

  // The job's title names its targets last: "Flash x.img to /dev/sdb, /dev/sdc".
  const title = useJobsStore((s) => s.summaries.find((j) => j.jobId === flashJobId)?.title ?? '');

  if (flashJobId && job?.state === 'done') {
    const targets = title.slice(title.lastIndexOf(' to ') + 4).split(', ');
    return <FlashComplete message={job.result?.message} drives={targets.length} />;
  }
  return (
    <div
      className="flash-door step-body"
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes('Files')) e.preventDefault();
      }}
      onDrop={(e) => {
        const file = e.dataTransfer.files[0];
        if (!file) return;
        e.preventDefault();
        const bridge = (window as unknown as { kairosFactory?: DropBridge }).kairosFactory;
        const path = bridge?.pathForFile?.(file);
        if (path) {
          setDropNote(undefined);
          set({ flashImage: path, flashJobId: undefined });
        } else {
          setDropNote(`A file dropped on a web page has no path on the machine that writes the drives: choose ${file.name} with Browse… (or type its path).`);
        }
      }}
    >
      {dropNote && (
        <p className="notice" role="status">
          {dropNote}
        </p>
      )}
      <StepFlash title="Flash an image" lead="Choose an image (or drop it here), pick one or more drives, and flash. Each drive is checked first and read back after." />
    </div>
  );
}
