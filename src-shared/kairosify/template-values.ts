// The Dockerfile source's template values as the wizard edits them: one "Name=value" per line.
// Parsing drops what is not a value yet (an empty line, a name still being typed), so the editor
// keeps the user's own text and only asks whether it still means the recipe's values.

/** The values a text means: "Name=value" lines, the name trimmed, the value kept as typed. */
export function parseTemplateValues(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) values[line.slice(0, eq).trim()] = line.slice(eq + 1);
  }
  return values;
}

export function formatTemplateValues(values: Readonly<Record<string, string>>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
}
