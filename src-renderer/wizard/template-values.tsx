// The Dockerfile source's "Template values" box. It keeps the user's own text: rewriting it from
// the parsed values on each key press dropped a fresh line break (an empty line is no value yet),
// which glued the next value onto the previous one. The text is replaced only when the recipe's
// values change from elsewhere (a recipe opened, the source switched).
import { useState } from 'react';
import { formatTemplateValues, parseTemplateValues, textMeans } from '../../src-shared/kairosify/template-values.js';
import { Field } from '../components/field.js';

export function TemplateValues(props: {
  readonly values: Readonly<Record<string, string>>;
  readonly error: string | undefined;
  readonly onChange: (values: Record<string, string>) => void;
}) {
  const [text, setText] = useState(() => formatTemplateValues(props.values));
  const shown = textMeans(text, props.values) ? text : formatTemplateValues(props.values);
  return (
    <Field label="Template values" hint="One per line: Name=value" error={props.error}>
      {(p) => (
        <textarea
          {...p}
          className="code"
          rows={3}
          spellCheck={false}
          value={shown}
          onChange={(e) => {
            setText(e.target.value);
            props.onChange(parseTemplateValues(e.target.value));
          }}
        />
      )}
    </Field>
  );
}
