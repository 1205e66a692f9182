// The Docker chip of the header, and behind it the engine picker: every engine found (DOCKER_HOST,
// the Docker contexts, Docker Desktop, Podman, colima, Rancher Desktop sockets) with its OS,
// architecture and version, or why it does not answer. Choosing one saves the engine setting; the
// next job uses it, and the status chips are read again at once.
import { useEffect, useState } from 'react';
import type { EngineList } from '../../src-shared/api/contract.js';
import type { AppErrorData } from '../../src-shared/errors/app-error.js';
import { engineOrigin, engineSummary } from '../../src-shared/engines/engine-summary.js';
import { api } from '../api/api.js';
import { useAppStore } from '../stores/app-store.js';
import { ErrorBox, toErrorData } from './error-box.js';
import { ModalDialog } from './modal-dialog.js';

const AUTOMATIC = 'automatic';

/** The header's Docker chip: a button that opens the picker. */
export function DockerChip() {
  const status = useAppStore((s) => s.status);
  const [open, setOpen] = useState(false);
  if (!status) return null;
  const ok = status.docker.ok;
  const title = ok ? status.docker.message : `${status.docker.message}. ${status.docker.hint ?? ''}`;
  return (
    <>
      <button type="button" className={`chip chip-button ${ok ? 'ok' : 'bad'}`} title={title} aria-haspopup="dialog" onClick={() => setOpen(true)}>
        <span aria-hidden="true">{ok ? '●' : '○'}</span> Docker
        {ok && status.engine && <span className="chip-detail"> {status.engine.id} · {status.engine.version}</span>}
        <span className="sr-only">{ok ? ' available' : ' unavailable'}: choose the engine</span>
      </button>
      {open && <EnginePicker onClose={() => setOpen(false)} />}
    </>
  );
}

export function EnginePicker(props: { readonly onClose: () => void }) {
  const settings = useAppStore((s) => s.settings);
  const set = useAppStore((s) => s.set);
  const [list, setList] = useState<EngineList | undefined>();
  const [error, setError] = useState<AppErrorData | undefined>();
  const [busy, setBusy] = useState(false);
  /** The choice being saved: the radio shows it at once. */
  const [pending, setPending] = useState<string | undefined>();

  /** Asks every engine again (each answers within a few seconds, all at once). */
  const load = (): Promise<void> =>
    api.listEngines().then(
      (next) => setList(next),
      (e: unknown) => setError(toErrorData(e)),
    );

  useEffect(() => {
    void load();
  }, []);

  const choose = async (engine: string): Promise<void> => {
    setPending(engine);
    setBusy(true);
    setError(undefined);
    try {
      set({ settings: await api.setSettings({ engine }) });
      // The chips follow the choice; the list shows which one is now in use.
      const [status] = await Promise.all([api.engineStatus(), load()]);
      set({ status });
    } catch (e) {
      setError(toErrorData(e));
    } finally {
      setPending(undefined);
      setBusy(false);
    }
  };

  const choice = list?.choiceFrom === '--engine' ? list.choice : (pending ?? settings?.engine ?? AUTOMATIC);
  const fixed = list?.choiceFrom === '--engine';
  return (
    <ModalDialog className="file-browser engine-picker" title="Docker engine" titleId="engine-picker-title" onClose={props.onClose}>
      <p className="muted">Builds, checks and previews use this engine. A change applies to the next job.</p>
      {fixed && <p>Chosen for this session with --engine ({list.choice}): restart without it to choose here.</p>}
      <ErrorBox error={error} />
      {!list && !error && <p aria-live="polite">Asking each engine…</p>}
      {list && (
        <fieldset className="engine-list" disabled={busy || fixed} aria-busy={busy}>
          <legend className="sr-only">Engine</legend>
          <label className="engine-option">
            <input type="radio" name="engine" value={AUTOMATIC} checked={choice === AUTOMATIC} onChange={() => void choose(AUTOMATIC)} />
            <span className="engine-name">Automatic</span>
            <span className="engine-facts muted">DOCKER_HOST, else the current Docker context, else the first socket that answers{list.active && choice === AUTOMATIC ? `: now ${list.active}` : ''}</span>
          </label>
          {list.engines.map((e) => (
            <label key={e.id} className={`engine-option${e.error !== undefined ? ' bad' : ''}`} data-testid={`engine-${e.id}`}>
              <input type="radio" name="engine" value={e.id} checked={choice === e.id} onChange={() => void choose(e.id)} />
              <span className="engine-name">
                {e.id} <span className="muted">· {engineOrigin(e)}</span>
              </span>
              <span className="engine-facts">
                <span className="muted">{e.host}</span> — {engineSummary(e)}
              </span>
            </label>
          ))}
        </fieldset>
      )}
      {list?.problems.map((p) => (
        <p key={p} className="muted">
          Note: {p}
        </p>
      ))}
      <div className="actions">
        <button
          type="button"
          className="secondary"
          disabled={busy}
          onClick={() => {
            setError(undefined);
            void load();
          }}
        >
          Look again
        </button>
        <button type="button" className="secondary" onClick={props.onClose}>
          Close
        </button>
      </div>
    </ModalDialog>
  );
}
