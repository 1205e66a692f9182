// The web shell's file picker: a modal that browses folders of the engine's machine (files.list),
// since a browser page can name no file there. Folders open with a click, a file is chosen with a
// click; a folder is typed in to jump to it. Escape or Cancel closes it with nothing chosen.
import { useEffect, useState } from 'react';
import type { FolderListing } from '../../src-shared/api/contract.js';
import type { AppErrorData } from '../../src-shared/errors/app-error.js';
import { formatBytes } from '../../src-shared/util/format.js';
import { api } from '../api/api.js';
import { Icon } from './icons.js';
import { ErrorBox, toErrorData } from './error-box.js';
import { ModalDialog } from './modal-dialog.js';

export function FileBrowser(props: {
  readonly title: string;
  readonly kind: 'file' | 'folder';
  readonly extensions?: ReadonlyArray<string> | undefined;
  /** Opened here first: the folder of the current value, when there is one. */
  readonly start?: string | undefined;
  readonly onPick: (path: string) => void;
  readonly onClose: () => void;
}) {
  const [listing, setListing] = useState<FolderListing | undefined>();
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<AppErrorData | undefined>();
  const extensions = props.extensions;

  const open = async (folder: string | undefined): Promise<void> => {
    setError(undefined);
    try {
      const next = await api.listFolder({ ...(folder ? { folder } : {}), ...(extensions && props.kind === 'file' ? { extensions: [...extensions] } : {}) });
      setListing(next);
      setTyped(next.folder);
    } catch (e) {
      setError(toErrorData(e));
      // The first folder may be gone: fall back to the default one rather than an empty box.
      if (!listing && folder) void open(undefined);
    }
  };

  useEffect(() => {
    void open(props.start);
    // Opened once per mount: the parent mounts this to open it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <ModalDialog className="file-browser" title={props.title} titleId="file-browser-title" onClose={props.onClose}>
      <p className="muted">Files on the machine running Kairos Factory. Hidden files and key files are not shown.</p>
      <form
        className="path-input"
        onSubmit={(e) => {
          e.preventDefault();
          void open(typed.trim() || undefined);
        }}
      >
        <label className="sr-only" htmlFor="file-browser-folder">
          Folder
        </label>
        <input id="file-browser-folder" value={typed} spellCheck={false} autoComplete="off" onChange={(e) => setTyped(e.target.value)} />
        <button type="submit" className="secondary">
          Open
        </button>
        <button type="button" className="secondary" disabled={!listing?.parent} onClick={() => listing?.parent && void open(listing.parent)}>
          Up
        </button>
      </form>
      <ErrorBox error={error} />
      <ul className="file-list" aria-label={listing ? `Contents of ${listing.folder}` : 'Contents'}>
        {listing?.entries.map((entry) => (
          <li key={entry.path}>
            {entry.kind === 'folder' ? (
              <button type="button" className="link" onClick={() => void open(entry.path)}>
                <Icon name="folder" size={16} />
                {entry.name}/
              </button>
            ) : (
              <button type="button" className="link" disabled={props.kind === 'folder'} onClick={() => props.onPick(entry.path)}>
                <Icon name="file" size={16} />
                {entry.name}
              </button>
            )}
            {entry.size !== undefined && <span className="muted"> {formatBytes(entry.size)}</span>}
          </li>
        ))}
        {listing && listing.entries.length === 0 && <li className="muted">{props.kind === 'file' && extensions ? 'No folders or images here.' : 'This folder is empty.'}</li>}
        {listing?.truncated && <li className="muted">More entries than shown: type a folder's path above.</li>}
      </ul>
      <div className="actions">
        {props.kind === 'folder' && listing && (
          <button type="button" className="primary" onClick={() => props.onPick(listing.folder)}>
            Use this folder
          </button>
        )}
        <button type="button" className="secondary" onClick={props.onClose}>
          Cancel
        </button>
      </div>
    </ModalDialog>
  );
}
