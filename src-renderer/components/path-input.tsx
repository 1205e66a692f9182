// A path typed in, with a Browse button where the shell has native dialogs (Electron).
import { api } from '../api/api.js';
import { useAppStore } from '../stores/app-store.js';
import { Field } from './field.js';

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
  const native = useAppStore((s) => s.status?.shell === 'electron');
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
          {native && (
            <button
              type="button"
              className="secondary"
              onClick={async () => {
                const { path } = await api.pickPath({ kind: props.kind, title: props.label, ...(props.extensions ? { extensions: [...props.extensions] } : {}) });
                if (path) {
                  props.onChange(path);
                  props.onCommit?.(path);
                }
              }}
            >
              Browse…
            </button>
          )}
        </div>
      )}
    </Field>
  );
}
