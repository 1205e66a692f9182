// A code text area for a list written one item per line (SSH keys, Name=value template values).
// The recipe keeps the parsed list, and rewriting the box from it on every key press dropped a
// fresh line break (an empty line is no item yet), gluing the next item onto the previous one.
// The box keeps the user's own text while it still means the recipe's list, and takes the list's
// text when the list changes from elsewhere (a recipe opened, the YAML edited).
import { useState } from 'react';

export function LinesArea(props: {
  readonly field: { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined };
  readonly rows: number;
  /** The recipe's list as text, one item per line. */
  readonly text: string;
  /** What a typed text means, written as `text` would be. */
  readonly canonical: (typed: string) => string;
  readonly onChange: (typed: string) => void;
}) {
  const [typed, setTyped] = useState(props.text);
  const shown = props.canonical(typed) === props.text ? typed : props.text;
  return (
    <textarea
      {...props.field}
      className="code"
      rows={props.rows}
      spellCheck={false}
      value={shown}
      onChange={(e) => {
        setTyped(e.target.value);
        props.onChange(e.target.value);
      }}
    />
  );
}
