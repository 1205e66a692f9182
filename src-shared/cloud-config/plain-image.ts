// A plain image (the scratch method with framework: none) has no Kairos agent to apply the
// cloud-config. It carries cloud-init instead, Debian's and every other family's well-kept
// applier, and the build hands it the recipe's cloud-config translated to cloud-init user-data
// (the image's seed unit finds it on the boot medium at boot: see scratch-family.ts). Pure: what
// a plain image honours, the user-data text, and what it does not honour, by key.
//
// Honoured: hostname; users (name, passwd, groups, ssh_authorized_keys incl. github:USER through
// ssh-import-id, lock_passwd, shell, homedir, primary_group, uid, system, gecos); write_files;
// timezone; runcmd and bootcmd (cloud-init's own keys, which Kairos accepts as well). Everything
// else (install, stages, k3s, p2p, ...) is applied only with the Kairos framework.
//
// Templates: Kairos renders `{{ .MachineID }}` and sprig functions over it with this machine's
// /etc/machine-id. Here the seed gives cloud-init the machine-id as its instance id and the
// user-data becomes a cloud-init Jinja template: `{{ .MachineID }}` -> `{{ v1.instance_id }}`,
// `{{ trunc N .MachineID }}` -> `{{ v1.instance_id[:N] }}`. Any other template is refused.
import { LineCounter, isMap, parseDocument, stringify } from 'yaml';
import { hasFramework } from '../recipe/has-framework.js';

export interface PlainImageNote {
  /** The dotted key ("install", "users.0.ssh_authorized_keys.1"). */
  readonly path: string;
  readonly message: string;
  readonly line?: number;
}

export interface PlainImageSeed {
  /** cloud-init user-data; undefined when the cloud-config has nothing a plain image applies. */
  readonly userData?: string;
  /** What cloud-init does not apply here: applied only with the Kairos framework. */
  readonly frameworkOnly: ReadonlyArray<PlainImageNote>;
  /** What cannot be rendered at all (templates other than the machine id). */
  readonly errors: ReadonlyArray<PlainImageNote>;
}

export const FRAMEWORK_ONLY = 'applied only with the Kairos framework';

const USER_KEYS: Readonly<Record<string, string>> = {
  name: 'name',
  groups: 'groups',
  shell: 'shell',
  homedir: 'homedir',
  primary_group: 'primary_group',
  uid: 'uid',
  system: 'system',
  gecos: 'gecos',
};
const PASSED_THROUGH = ['hostname', 'write_files', 'timezone', 'runcmd', 'bootcmd'] as const;

const TEMPLATE = /\{\{-?\s*(.*?)\s*-?\}\}/g;
const MACHINE_ID = /^\.MachineID$/;
const TRUNC_MACHINE_ID = /^trunc\s+(-?\d+)\s+\.MachineID$/;

/** The Jinja expression cloud-init renders for a Kairos template, or undefined if there is none. */
export function jinjaFor(template: string): string | undefined {
  if (MACHINE_ID.test(template)) return '{{ v1.instance_id }}';
  const trunc = TRUNC_MACHINE_ID.exec(template);
  if (!trunc) return undefined;
  const n = Number(trunc[1]);
  // sprig's trunc: the first n characters, or the last -n for a negative n.
  return n >= 0 ? `{{ v1.instance_id[:${n}] }}` : `{{ v1.instance_id[${n}:] }}`;
}

const placeholder = (i: number): string => `KFJINJA${i}X`;

function lineAt(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

export function plainImageSeed(cloudConfig: string): PlainImageSeed {
  const errors: PlainImageNote[] = [];
  const frameworkOnly: PlainImageNote[] = [];
  // 1. Templates out of the way, each as a placeholder the YAML keeps as plain text.
  const jinja: string[] = [];
  const text = cloudConfig.replace(TEMPLATE, (whole: string, inner: string, offset: number) => {
    const expression = jinjaFor(inner.trim());
    if (expression === undefined) {
      errors.push({
        path: 'cloudConfig',
        line: lineAt(cloudConfig, offset),
        message: `the template ${whole} needs the Kairos framework to render; without it only {{ .MachineID }} and {{ trunc N .MachineID }} are rendered (by cloud-init)`,
      });
      return whole;
    }
    jinja.push(expression);
    return placeholder(jinja.length - 1);
  });
  if (jinja.length > 0 && /\{%|\{#/.test(text)) {
    errors.push({ path: 'cloudConfig', message: 'with a {{ .MachineID }} template the cloud-config is rendered as a Jinja template: it cannot also hold "{%" or "{#"' });
  }
  if (errors.length > 0) return { frameworkOnly, errors };

  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  if (doc.errors.length > 0 || !isMap(doc.contents)) return { frameworkOnly, errors };
  const data = doc.toJS() as Record<string, unknown>;
  // A key's own line (its value may be a block starting on the next one); list items by their value.
  const lineOf = (path: ReadonlyArray<string | number>): number | undefined => {
    const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
    const pair = isMap(parent) ? parent.items.find((p) => (p.key as { value?: unknown } | null)?.value === path[path.length - 1]) : undefined;
    const node = (pair?.key ?? doc.getIn(path, true)) as { range?: [number, number, number] } | undefined;
    return node?.range ? lines.linePos(node.range[0]).line : undefined;
  };
  const note = (path: ReadonlyArray<string | number>, message = FRAMEWORK_ONLY): void => {
    const line = lineOf(path);
    frameworkOnly.push({ path: path.join('.'), message, ...(line !== undefined ? { line } : {}) });
  };

  // 2. The keys cloud-init applies, translated; the others noted.
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if ((PASSED_THROUGH as ReadonlyArray<string>).includes(key)) out[key] = value;
    else if (key === 'users' && Array.isArray(value)) out.users = value.map((user: unknown, i: number) => translateUser(user, i, note));
    else note([key]);
  }
  if (Object.keys(out).length === 0) return { frameworkOnly, errors };
  // The hostname is the recipe's, not the one the datasource would choose.
  if ('hostname' in out) out.preserve_hostname = false;

  // 3. The user-data: a Jinja template when the machine id is used, the placeholders put back.
  let body = `#cloud-config\n${stringify(out, { lineWidth: 0 })}`;
  jinja.forEach((expression, i) => {
    body = body.split(placeholder(i)).join(expression);
  });
  return { userData: jinja.length > 0 ? `## template: jinja\n${body}` : body, frameworkOnly, errors };
}

function translateUser(user: unknown, i: number, note: (path: ReadonlyArray<string | number>, message?: string) => void): unknown {
  if (user === null || typeof user !== 'object' || Array.isArray(user)) return user;
  const out: Record<string, unknown> = {};
  let locked = false;
  const imports: string[] = [];
  for (const [key, value] of Object.entries(user as Record<string, unknown>)) {
    const same = USER_KEYS[key];
    if (same) out[same] = value;
    // Kairos' passwd is the password itself; cloud-init's passwd is a hash, plain_text_passwd the text.
    else if (key === 'passwd') out.plain_text_passwd = value;
    else if (key === 'lock_passwd' || key === 'lockPasswd') locked = value === true;
    else if (key === 'ssh_authorized_keys' && Array.isArray(value)) {
      const keys: unknown[] = [];
      value.forEach((k: unknown, j: number) => {
        const github = typeof k === 'string' ? /^github:(\S+)$/.exec(k.trim()) : null;
        if (github) imports.push(`gh:${github[1]}`);
        else if (typeof k === 'string' && /^gitlab:/.test(k.trim())) note(['users', i, 'ssh_authorized_keys', j], `gitlab: keys are ${FRAMEWORK_ONLY} (cloud-init imports github: keys only)`);
        else keys.push(k);
      });
      if (keys.length > 0) out.ssh_authorized_keys = keys;
    } else note(['users', i, key]);
  }
  if (imports.length > 0) out.ssh_import_id = imports;
  out.lock_passwd = locked;
  return out;
}

/** For a recipe's checks: what its cloud-config will not do in its image, as notes by key (none with the framework). */
export function frameworkOnlyNotes(recipe: { readonly cloudConfig: string; readonly kairosify: { readonly method?: string; readonly framework?: string } }): ReadonlyArray<PlainImageNote> {
  return hasFramework(recipe) ? [] : plainImageSeed(recipe.cloudConfig).frameworkOnly;
}
