// The URL a netboot folder is served from (recipe field netboot.url, `build --netboot-url`). The
// iPXE script and the kernel command line are made from it by plain string concatenation
// (<url><file>), so it must be a base that works that way in iPXE, in the kernel command line and
// in curl: http or https, a host, an optional port and a path, nothing iPXE or the kernel would
// read as syntax ($ starts an iPXE setting, spaces split arguments), no query or fragment (a
// file name appended after them would not be a path). Pure: shared by the recipe schema, the CLI
// and the wizard.

const SCHEME = /^(https?):\/\/(.*)$/i;
/** A host name, an IPv4 address or a bracketed IPv6 address, then an optional port. */
const AUTHORITY = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?$/;
/** Path characters: unreserved ones, percent escapes and a few sub-delimiters iPXE passes through. */
const PATH = /^(?:\/[A-Za-z0-9._~%:@+=,-]*)*$/;

export const NETBOOT_URL_EXAMPLE = 'http://10.0.2.2:8080/debian-bookworm-netboot/';

/** What is wrong with a netboot URL, or undefined when it is fine. */
export function netbootUrlProblem(value: string): string | undefined {
  const url = value.trim();
  if (url === '') return `give the URL the netboot folder is served from, such as ${NETBOOT_URL_EXAMPLE}`;
  if (url.length > 512) return 'at most 512 characters';
  const scheme = SCHEME.exec(url);
  if (!scheme) return `an http:// or https:// URL, such as ${NETBOOT_URL_EXAMPLE}`;
  const rest = scheme[2] ?? '';
  const slash = rest.indexOf('/');
  const authority = slash === -1 ? rest : rest.slice(0, slash);
  const path = slash === -1 ? '' : rest.slice(slash);
  if (/[?#]/.test(url)) return 'no query (?) or fragment (#): the file names are appended to the URL';
  if (/[\s$"'`\\{}<>|^;&]/.test(url)) return 'no spaces, quotes, $ or other characters iPXE or the kernel command line would read as syntax';
  const host = AUTHORITY.exec(authority);
  if (!host) return `"${authority}" is not a host name or address (with an optional :port)`;
  if (host[1] !== undefined && (Number(host[1]) < 1 || Number(host[1]) > 65535)) return `port ${host[1]} is not between 1 and 65535`;
  if (!PATH.test(path)) return `the path "${path}" has characters a URL path cannot hold (escape them as %XX)`;
  return undefined;
}

/** The URL as the script uses it: trimmed, lowercase scheme, ending with one "/". Call after netbootUrlProblem. */
export function normalizeNetbootUrl(value: string): string {
  const url = value.trim().replace(/^https?:/i, (s) => s.toLowerCase());
  return url.endsWith('/') ? url : `${url}/`;
}
