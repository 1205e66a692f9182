// The value model of Go templates: what a template reads (strings, numbers, booleans, lists, maps,
// nil) and Go's notions of truth and type over it.

export type TemplateValue = string | number | boolean | null | undefined | ReadonlyArray<TemplateValue> | { readonly [key: string]: TemplateValue };
export type TemplateMap = { readonly [key: string]: TemplateValue };

export function isList(value: TemplateValue): value is ReadonlyArray<TemplateValue> {
  return Array.isArray(value);
}

export function isMap(value: TemplateValue): value is TemplateMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Go's truth: false, 0, "", nil and empty lists and maps are false. */
export function truth(value: TemplateValue): boolean {
  if (isList(value)) return value.length > 0;
  if (isMap(value)) return Object.keys(value).length > 0;
  return Boolean(value);
}

/** The Go type a value would have, for error messages. */
export function goType(value: TemplateValue): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float64';
  if (isList(value)) return '[]interface {}';
  return isMap(value) ? 'map[string]interface {}' : typeof value === 'boolean' ? 'bool' : 'string';
}

export function valueKind(value: TemplateValue): 'nil' | 'string' | 'number' | 'boolean' | 'list' | 'map' {
  if (value === null || value === undefined) return 'nil';
  if (isList(value)) return 'list';
  if (isMap(value)) return 'map';
  return typeof value === 'string' ? 'string' : typeof value === 'number' ? 'number' : 'boolean';
}
