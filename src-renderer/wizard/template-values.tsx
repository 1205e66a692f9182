// The Dockerfile source's "Template values" box: one Name=value per line, kept as typed.
import { formatTemplateValues, parseTemplateValues } from '../../src-shared/kairosify/template-values.js';
import { Field } from '../components/field.js';
import { LinesArea } from '../components/lines-area.js';

const canonical = (typed: string): string => formatTemplateValues(parseTemplateValues(typed));

export function TemplateValues(props: {
  readonly values: Readonly<Record<string, string>>;
  readonly error: string | undefined;
  readonly onChange: (values: Record<string, string>) => void;
}) {
  return (
    <Field label="Template values" hint="One per line: Name=value" error={props.error}>
      {(p) => <LinesArea field={p} rows={3} text={formatTemplateValues(props.values)} canonical={canonical} onChange={(typed) => props.onChange(parseTemplateValues(typed))} />}
    </Field>
  );
}
