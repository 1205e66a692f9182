// A job's log: follows the end (until the user scrolls up, or turns Follow off), wraps long lines
// or not, and copies or downloads the whole log the engine keeps (not only the lines shown).
import { useEffect, useRef, useState } from 'react';
import { toErrorData } from './error-box.js';
import { saveText } from './save-file.js';

/** Lines shown at most: the whole log is for Copy and Download. */
const SHOWN = 500;

export interface LogSource {
  /** The file name Download offers. */
  readonly fileName: string;
  /** The whole kept log (job.log); the shown lines when absent. */
  readonly text?: () => Promise<string>;
}

export function LogView({ lines, label, source }: { readonly lines: ReadonlyArray<string>; readonly label: string; readonly source?: LogSource }) {
  const ref = useRef<HTMLPreElement>(null);
  const [follow, setFollow] = useState(true);
  const [wrap, setWrap] = useState(true);
  const [note, setNote] = useState<string | undefined>();
  useEffect(() => {
    const el = ref.current;
    if (el && follow) el.scrollTop = el.scrollHeight;
  }, [lines, follow]);

  const whole = async (): Promise<string> => (source?.text ? source.text() : lines.length > 0 ? `${lines.join('\n')}\n` : '');
  const act = async (what: (text: string) => Promise<void> | void, done: string): Promise<void> => {
    try {
      await what(await whole());
      setNote(done);
    } catch (e) {
      setNote(`${toErrorData(e).message}: select the log and copy it instead`);
    }
  };

  return (
    <div className="log-view">
      {source && (
        <div className="log-tools" role="group" aria-label="Log tools">
          <label>
            <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> Follow
          </label>
          <label>
            <input type="checkbox" checked={wrap} onChange={(e) => setWrap(e.target.checked)} /> Wrap lines
          </label>
          <button type="button" className="secondary" onClick={() => void act((t) => navigator.clipboard.writeText(t), 'Copied the log')}>
            Copy
          </button>
          <button type="button" className="secondary" onClick={() => void act((t) => saveText(source.fileName, t), `Saved ${source.fileName}`)}>
            Download
          </button>
          {note && (
            <span className="muted" role="status">
              {note}
            </span>
          )}
        </div>
      )}
      <pre
        ref={ref}
        className={`log${wrap ? '' : ' nowrap'}`}
        tabIndex={0}
        aria-label={label}
        aria-live="off"
        onScroll={(e) => {
          const el = e.currentTarget;
          const atEnd = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
          // Scrolling up to read stops following; back at the end it follows again.
          if (atEnd !== follow) setFollow(atEnd);
        }}
      >
        {lines.slice(-SHOWN).join('\n')}
      </pre>
    </div>
  );
}
