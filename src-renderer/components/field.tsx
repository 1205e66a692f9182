// A labelled control with its hint and its error message, wired for screen readers.
import { useId, type ReactNode } from 'react';

export interface FieldProps {
  readonly label: string;
  readonly hint?: ReactNode;
  readonly error?: string | undefined;
  readonly children: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined }) => ReactNode;
}

export function Field({ label, hint, error, children }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': Boolean(error), 'aria-describedby': describedBy })}
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p className="error" id={errorId} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

export interface ChoiceOption<T extends string> {
  readonly value: T;
  readonly label: string;
  readonly description?: string;
  readonly disabled?: boolean;
  /** A decorative picture in the card's corner (the label says what it is). */
  readonly icon?: ReactNode;
}

/** A radio group rendered as cards; arrow keys move between options (native radios). */
export function Choices<T extends string>(props: {
  readonly legend: string;
  readonly name: string;
  readonly value: T;
  readonly options: ReadonlyArray<ChoiceOption<T>>;
  readonly onChange: (value: T) => void;
  readonly error?: string | undefined;
}) {
  const errorId = useId();
  return (
    <fieldset className="choices" aria-describedby={props.error ? errorId : undefined}>
      <legend>{props.legend}</legend>
      <div className="choice-grid">
        {props.options.map((o) => (
          <label key={o.value} className={`choice${props.value === o.value ? ' selected' : ''}${o.disabled ? ' disabled' : ''}`}>
            <input
              type="radio"
              name={props.name}
              value={o.value}
              checked={props.value === o.value}
              disabled={o.disabled}
              onChange={() => props.onChange(o.value)}
            />
            {o.icon && <span className="choice-icon">{o.icon}</span>}
            <span className="choice-label">{o.label}</span>
            {o.description && <span className="choice-description">{o.description}</span>}
          </label>
        ))}
      </div>
      {props.error && (
        <p className="error" id={errorId} role="alert">
          {props.error}
        </p>
      )}
    </fieldset>
  );
}
