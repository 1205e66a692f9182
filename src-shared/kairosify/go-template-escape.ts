// Text escaping as Go does it: the html, js and urlquery template functions, and strconv.Quote for
// fmt's %q.

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;', '\0': '\uFFFD',
};
const JS_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\', "'": "\\'", '"': '\\"', '<': '\\u003C', '>': '\\u003E', '&': '\\u0026', '=': '\\u003D',
};
const QUOTE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"', '\\': '\\\\', '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v',
};

function escapeChars(text: string, table: Readonly<Record<string, string>>, control: (code: number) => string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    out += Object.hasOwn(table, ch) ? table[ch] : code < 0x20 || code === 0x7f ? control(code) : ch;
  }
  return out;
}

const hex = (code: number, width: number): string => code.toString(16).toUpperCase().padStart(width, '0');

/** Go's template.HTMLEscapeString. */
export const htmlEscape = (text: string): string => escapeChars(text, HTML_ESCAPES, (c) => String.fromCharCode(c));

/** Go's template.JSEscapeString. */
export const jsEscape = (text: string): string => escapeChars(text, JS_ESCAPES, (c) => (c === 0x7f ? '\x7f' : `\\u${hex(c, 4)}`));

/** Go's strconv.Quote, for the escapes a template can meet. */
export const goQuote = (text: string): string => `"${escapeChars(text, QUOTE_ESCAPES, (c) => `\\x${hex(c, 2).toLowerCase()}`)}"`;

/** Go's url.QueryEscape. */
export function queryEscape(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (c) => `%${hex(c.charCodeAt(0), 2)}`)
    .replaceAll('%20', '+');
}
