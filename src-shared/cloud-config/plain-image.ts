// A plain image (the scratch method with framework: none) has no Kairos agent to apply the
// cloud-config. It carries cloud-init instead, Debian's and every other family's well-kept
// applier, and the build hands it the recipe's cloud-config translated to cloud-init user-data
// (the image's seed unit finds it on the boot medium at boot: see scratch-family.ts). Pure: what
// a plain image honours, the user-data text, and what it does not honour, by key.
//
// Honoured: hostname; users (name, passwd as a crypt hash or the text itself, groups,
// ssh_authorized_keys incl. github:USER through ssh-import-id, lock_passwd, shell, homedir,
// primary_group, uid, system, gecos); write_files; timezone; runcmd and bootcmd (cloud-init's own
// keys, which Kairos accepts as well); and the `stages` steps of the boot-time stages made only of
// `files` and `commands` (the Cloud-config form's Wi-Fi, keyboard, time zone and SSH steps among
// them: device-settings.ts): files -> write_files, commands -> runcmd. Everything else (install,
// other stages and step kinds, k3s, p2p, ...) is applied only with the Kairos framework.
//
// Templates: Kairos renders `{{ .MachineID }}` and sprig functions over it with this machine's
// /etc/machine-id. Here the seed gives cloud-init the machine-id as its instance id and the
// user-data becomes a cloud-init Jinja template: `{{ .MachineID }}` -> `{{ v1.instance_id }}`,
// `{{ trunc N .MachineID }}` -> `{{ v1.instance_id[:N] }}`. Any other template is refused.
import { LineCounter, isMap, parseDocument, stringify, type Document } from 'yaml';
import { hasFramework } from '../recipe/has-framework.js';
import { isCryptHash } from './secrets.js';

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
const PASSED_THROUGH = ['hostname', 'timezone', 'bootcmd'] as const;
/** Kairos stages run at every boot; cloud-init runs their files and commands at first boot (the
 * root keeps them), in this order. Other stages (install, upgrade, reconcile...) have no match. */
const BOOT_STAGES = ['rootfs', 'initramfs', 'boot', 'network'] as const;
const STEP_KEYS = ['name', 'files', 'commands'];
const FILE_KEYS = ['path', 'content', 'permissions', 'owner', 'group', 'encoding'];
/** yip's encodings that cloud-init's write_files knows by the same name. */
const ENCODINGS = ['b64', 'base64', 'gz', 'gzip', 'gz+b64', 'gz+base64', 'gzip+b64', 'gzip+base64'];

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
  const steps = translateStages(data.stages, doc, text, note);
  for (const [key, value] of Object.entries(data)) {
    if ((PASSED_THROUGH as ReadonlyArray<string>).includes(key)) out[key] = value;
    else if (key === 'users' && Array.isArray(value)) out.users = value.map((user: unknown, i: number) => translateUser(user, i, note));
    else if (key === 'write_files' || key === 'runcmd' || key === 'stages') continue;
    else note([key]);
  }
  // Kairos runs the stages' steps before its cloud-init layer's write_files and runcmd.
  const writeFiles = [...steps.writeFiles, ...(Array.isArray(data.write_files) ? data.write_files : [])];
  const runcmd = [...steps.runcmd, ...(Array.isArray(data.runcmd) ? data.runcmd : [])];
  if (writeFiles.length > 0 || 'write_files' in data) out.write_files = 'write_files' in data && !Array.isArray(data.write_files) ? data.write_files : writeFiles;
  if (runcmd.length > 0 || 'runcmd' in data) out.runcmd = 'runcmd' in data && !Array.isArray(data.runcmd) ? data.runcmd : runcmd;
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

function translateUser(user: unknown, i: number, note: Note): unknown {
  if (user === null || typeof user !== 'object' || Array.isArray(user)) return user;
  const out: Record<string, unknown> = {};
  let locked = false;
  const imports: string[] = [];
  for (const [key, value] of Object.entries(user as Record<string, unknown>)) {
    const same = USER_KEYS[key];
    if (same) out[same] = value;
    // Kairos takes a crypt hash ($6$...) as it is and hashes anything else; cloud-init's passwd
    // is a hash, plain_text_passwd the text.
    else if (key === 'passwd') out[typeof value === 'string' && isCryptHash(value) ? 'passwd' : 'plain_text_passwd'] = value;
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

type Note = (path: ReadonlyArray<string | number>, message?: string) => void;

/**
 * The boot-time stages' steps made only of files and commands, as cloud-init's write_files and
 * runcmd; any other step (or stage) is noted. A step that has anything else is left out whole:
 * half a step could leave a service enabled without its configuration.
 */
function translateStages(stages: unknown, doc: Document, text: string, note: Note): { writeFiles: unknown[]; runcmd: unknown[] } {
  const writeFiles: unknown[] = [];
  const runcmd: unknown[] = [];
  if (stages === null || typeof stages !== 'object' || Array.isArray(stages)) return { writeFiles, runcmd };
  const byStage = stages as Record<string, unknown>;
  for (const stage of Object.keys(byStage)) {
    if (!(BOOT_STAGES as ReadonlyArray<string>).includes(stage)) note(['stages', stage]);
  }
  for (const stage of BOOT_STAGES) {
    const list = byStage[stage];
    if (!Array.isArray(list)) continue;
    list.forEach((step: unknown, i: number) => {
      const at = ['stages', stage, i];
      const translated = translateStep(step, at, doc, text);
      if (typeof translated === 'string') return note(at, translated);
      writeFiles.push(...translated.files);
      runcmd.push(...translated.commands);
    });
  }
  return { writeFiles, runcmd };
}

function translateStep(step: unknown, at: ReadonlyArray<string | number>, doc: Document, text: string): { files: unknown[]; commands: unknown[] } | string {
  if (step === null || typeof step !== 'object' || Array.isArray(step)) return FRAMEWORK_ONLY;
  const record = step as Record<string, unknown>;
  const other = Object.keys(record).filter((k) => !STEP_KEYS.includes(k));
  if (other.length > 0) return `${other.join(', ')}: ${FRAMEWORK_ONLY} (cloud-init runs a step's files and commands only)`;
  const commands = record.commands === undefined ? [] : record.commands;
  if (!Array.isArray(commands) || !commands.every((c) => typeof c === 'string')) return 'commands must be a list of text';
  const rawFiles = record.files === undefined ? [] : record.files;
  if (!Array.isArray(rawFiles)) return 'files must be a list';
  const files: unknown[] = [];
  for (const [j, f] of rawFiles.entries()) {
    if (f === null || typeof f !== 'object' || Array.isArray(f)) return 'each file must be a mapping';
    const fileRecord = f as Record<string, unknown>;
    const odd = Object.keys(fileRecord).filter((k) => !FILE_KEYS.includes(k));
    if (odd.length > 0) return `files.${j}: ${odd.join(', ')}: ${FRAMEWORK_ONLY}`;
    if (typeof fileRecord.path !== 'string') return `files.${j} needs a path`;
    if ((fileRecord.owner ?? 0) !== 0 || (fileRecord.group ?? 0) !== 0) return `files.${j}: owner and group other than root are ${FRAMEWORK_ONLY} (cloud-init takes names, not ids)`;
    if (fileRecord.encoding !== undefined && !ENCODINGS.includes(String(fileRecord.encoding))) return `files.${j}: the encoding "${String(fileRecord.encoding)}" is ${FRAMEWORK_ONLY}`;
    const mode = fileMode(doc, text, [...at, 'files', j, 'permissions']);
    files.push({
      path: fileRecord.path,
      content: typeof fileRecord.content === 'string' ? fileRecord.content : '',
      ...(fileRecord.encoding !== undefined ? { encoding: fileRecord.encoding } : {}),
      ...(mode !== undefined ? { permissions: `0${mode.toString(8)}` } : {}),
    });
  }
  return { files, commands };
}

/**
 * A file's mode as yip reads it: Go's YAML reads 0600 as octal (YAML 1.1), where this parser
 * (YAML 1.2) reads 600; so the number is taken from its source text.
 */
function fileMode(doc: Document, text: string, path: ReadonlyArray<string | number>): number | undefined {
  const node = doc.getIn(path, true) as { value?: unknown; range?: [number, number, number] } | undefined;
  if (node === undefined || node.value === undefined || node.value === null) return undefined;
  const source = node.range ? text.slice(node.range[0], node.range[1]).trim() : String(node.value);
  const octal = /^0o?([0-7]+)$/.exec(source);
  if (octal) return Number.parseInt(octal[1] ?? '0', 8);
  return typeof node.value === 'number' ? node.value : undefined;
}

/** For a recipe's checks: what its cloud-config will not do in its image, as notes by key (none with the framework). */
export function frameworkOnlyNotes(recipe: { readonly cloudConfig: string; readonly kairosify: { readonly method?: string; readonly framework?: string } }): ReadonlyArray<PlainImageNote> {
  return hasFramework(recipe) ? [] : plainImageSeed(recipe.cloudConfig).frameworkOnly;
}
