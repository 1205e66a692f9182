// A path typed in, with a Browse button: Electron's native dialog, or in the web shell a browser
// of the engine's machine's folders (a page cannot name a file there by itself).
import { useEffect, useRef, useState } from 'react';
import { api } from '../api/api.js';
import { useAppStore } from '../stores/app-store.js';
import { Field } from './field.js';
import { FileBrowser } from './file-browser.js';

/** The folder part of a typed path, where the browser opens; undefined for a bare name. */
const folderOf = (path: string): string | undefined => {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut > 0 ? path.slice(0, cut) : cut === 0 ? '/' : undefined;
};

export function PathInput(props: {
  readonly label: string;
  readonly hint?: string;
  readonly kind: 'file' | 'folder';
  readonly value: string;
  readonly error?: string | undefined;
  readonly extensions?: ReadonlyArray<string>;
  readonly onChange: (path: string) => void;
  readonly onCommit?: (path: string) => void;
}) {
  const shell = useAppStore((s) => s.status?.shell);
  const [browsing, setBrowsing] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const wasBrowsing = useRef(false);
  // The browser closed: focus back where the user was, not lost to the page's top (once the
  // modal is gone: while it is open the rest of the page is inert).
  useEffect(() => {
    if (wasBrowsing.current && !browsing) button.current?.focus();
    wasBrowsing.current = browsing;
  }, [browsing]);
  const closeBrowser = (): void => setBrowsing(false);
  const choose = (path: string): void => {
    props.onChange(path);
    props.onCommit?.(path);
  };
  const browse = async (): Promise<void> => {
    if (shell !== 'electron') {
      setBrowsing(true);
      return;
    }
    const { path } = await api.pickPath({ kind: props.kind, title: props.label, ...(props.extensions ? { extensions: [...props.extensions] } : {}) });
    if (path) choose(path);
  };
  return (
    <Field label={props.label} {...(props.hint ? { hint: props.hint } : {})} error={props.error}>
      {(p) => (
        <div className="path-input">
          <input
            {...p}
            value={props.value}
            spellCheck={false}
            autoComplete="off"
            placeholder={props.kind === 'folder' ? '/path/to/folder' : '/path/to/file'}
            onChange={(e) => props.onChange(e.target.value)}
            onBlur={(e) => props.onCommit?.(e.target.value)}
          />
          {shell && (
            <button ref={button} type="button" className="secondary" onClick={() => void browse()}>
              Browse…
            </button>
          )}
          {browsing && (
            <FileBrowser
              title={props.kind === 'folder' ? `Choose the ${props.label.toLowerCase()} folder` : `Choose the ${props.label.toLowerCase()}`}
              kind={props.kind}
              extensions={props.extensions}
              start={folderOf(props.value.trim())}
              onClose={closeBrowser}
              onPick={(path) => {
                closeBrowser();
                choose(path);
              }}
            />
          )}
        </div>
      )}
    </Field>
  );
}
