// The Kairos cloud-config: the wizard's form reads and writes a few common fields into the YAML
// text (keeping everything else, comments included), and the checks go further than upstream's
// schema, which accepts any unknown key: a misspelled key here gets a warning and a suggestion.
import { closest, distance } from 'fastest-levenshtein';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { deviceSettingsProblems, formStages, isFormStep, readDeviceSettings, type DeviceSettings, type FormStages, type StageStep } from './device-settings.js';
import { isCryptHash } from './secrets.js';

export const CLOUD_CONFIG_HEADERS = ['#cloud-config', '#kairos-config', '#node-config'] as const;

export interface CloudConfigForm {
  readonly userName: string;
  /** The user's passwd as the YAML holds it: the form writes a SHA-512 crypt hash (secrets.ts). */
  readonly password: string;
  readonly sshKeys: ReadonlyArray<string>;
  readonly hostname: string;
  readonly installAuto: boolean;
  readonly installDevice: string;
  /** Wi-Fi: no network while the SSID is empty. */
  readonly wifiSsid: string;
  /** The WPA2 PSK (64 hex digits, from the passphrase: secrets.ts wpaPsk); empty: an open network. */
  readonly wifiPsk: string;
  readonly wifiCountry: string;
  readonly wifiHidden: boolean;
  /** XKB layout ("de"); empty: the image's own. */
  readonly keyboard: string;
  /** IANA time zone ("Europe/Berlin"); empty: the image's own (UTC). */
  readonly timezone: string;
  /** SSH logins by key only (sshd refuses passwords). */
  readonly sshKeysOnly: boolean;
}

export interface CloudConfigIssue {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly path?: string;
  readonly line?: number;
}

const KNOWN_TOP = [
  'users', 'install', 'reset', 'upgrade', 'stages', 'hostname', 'k3s', 'k3s-agent', 'k0s', 'k0s-worker', 'kubevip',
  'p2p', 'bundles', 'debug', 'strict', 'logs', 'cloud-init-paths', 'fail_on_bundles_errors', 'growpart', 'name',
  'options', 'config_url', 'runcmd', 'write_files', 'bootcmd', 'ssh_authorized_keys', 'timezone',
];
const KNOWN_PROVIDER = ['enabled', 'args', 'env', 'replace_args', 'replace_env', 'embedded_registry'];
const KNOWN_USER = ['name', 'passwd', 'lock_passwd', 'lockPasswd', 'groups', 'ssh_authorized_keys', 'homedir', 'shell', 'primary_group', 'uid', 'system', 'gecos'];
const KNOWN_INSTALL = ['auto', 'device', 'reboot', 'poweroff', 'partitions', 'bundles', 'grub_options', 'image', 'system', 'recovery-system', 'passive', 'extra-partitions', 'no-format', 'encrypted_partitions', 'skip_copy_kairos_agent', 'env', 'firmware', 'part-table', 'nomount', 'force'];
const SSH_KEY = /^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-\S+|sk-\S+|github:\S+|gitlab:\S+)(\s|$)/;

export function emptyForm(): CloudConfigForm {
  return {
    userName: '', password: '', sshKeys: [], hostname: '', installAuto: false, installDevice: 'auto',
    wifiSsid: '', wifiPsk: '', wifiCountry: '', wifiHidden: false, keyboard: '', timezone: '', sshKeysOnly: false,
  };
}

function deviceSettings(form: CloudConfigForm): DeviceSettings {
  const wifi = form.wifiSsid === '' ? undefined : { ssid: form.wifiSsid, psk: form.wifiPsk, country: form.wifiCountry, hidden: form.wifiHidden };
  return { ...(wifi ? { wifi } : {}), keyboard: form.keyboard, timezone: form.timezone, sshKeysOnly: form.sshKeysOnly };
}

function parse(text: string): { doc: Document; lines: LineCounter } {
  const lines = new LineCounter();
  return { doc: parseDocument(text, { lineCounter: lines, uniqueKeys: true }), lines };
}

function asString(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

/** The form's fields as found in the text (the first user is the form's user). */
export function readCloudConfigForm(text: string): CloudConfigForm {
  const { doc } = parse(text);
  if (doc.errors.length > 0) return emptyForm();
  const data = (doc.toJS() ?? {}) as Record<string, unknown>;
  if (typeof data !== 'object' || Array.isArray(data)) return emptyForm();
  const users = Array.isArray(data.users) ? data.users : [];
  const user = (users[0] ?? {}) as Record<string, unknown>;
  const install = (typeof data.install === 'object' && data.install !== null ? data.install : {}) as Record<string, unknown>;
  const device = readDeviceSettings(data);
  return {
    userName: asString(user.name),
    password: asString(user.passwd),
    sshKeys: Array.isArray(user.ssh_authorized_keys) ? user.ssh_authorized_keys.map(asString) : [],
    hostname: asString(data.hostname),
    installAuto: install.auto === true,
    installDevice: asString(install.device) || 'auto',
    wifiSsid: device.wifi?.ssid ?? '',
    wifiPsk: device.wifi?.psk ?? '',
    wifiCountry: device.wifi?.country ?? '',
    wifiHidden: device.wifi?.hidden ?? false,
    keyboard: device.keyboard,
    timezone: device.timezone,
    sshKeysOnly: device.sshKeysOnly,
  };
}

/** Writes the form into the text; other keys, users and comments stay as they were. */
export function writeCloudConfigForm(text: string, form: CloudConfigForm): string {
  const header = headerOf(text) ?? '#cloud-config';
  const { doc } = parse(text);
  if (doc.errors.length > 0) return text;
  if (!isMap(doc.contents)) doc.contents = doc.createNode({}) as typeof doc.contents;
  const set = (path: ReadonlyArray<string | number>, value: unknown, keep: boolean): void => {
    if (keep) doc.setIn(path, value);
    else if (doc.hasIn(path)) doc.deleteIn(path);
  };
  set(['hostname'], form.hostname, form.hostname !== '');
  const hasUser = form.userName !== '' || form.password !== '' || form.sshKeys.length > 0;
  if (hasUser) {
    if (!isSeq(doc.get('users'))) doc.set('users', doc.createNode([{}]));
    set(['users', 0, 'name'], form.userName, true);
    set(['users', 0, 'passwd'], form.password, form.password !== '');
    set(['users', 0, 'ssh_authorized_keys'], doc.createNode([...form.sshKeys]), form.sshKeys.length > 0);
  }
  if (form.installAuto || doc.hasIn(['install'])) {
    set(['install', 'auto'], form.installAuto, true);
    set(['install', 'device'], form.installDevice || 'auto', true);
  }
  writeFormStages(doc, formStages(deviceSettings(form)));
  // The time zone lives in the form's step (Kairos reads no top-level timezone).
  set(['timezone'], undefined, false);
  const body = doc.toString({ lineWidth: 0 }).replace(/^(#(cloud|kairos|node)-config\s*\n)+/, '');
  return `${header}\n${body === '{}\n' ? '' : body}`;
}

/** Replaces the form's own steps in every stage (other steps stay, in their places); empty stages go. */
function writeFormStages(doc: Document, stages: FormStages): void {
  const existing = doc.get('stages');
  if (existing !== undefined && !isMap(existing)) return;
  if (isMap(existing)) {
    for (const pair of [...existing.items]) {
      const steps = pair.value;
      if (!isSeq(steps)) continue;
      steps.items = steps.items.filter((item) => !isFormStep((item as { toJSON?: () => unknown }).toJSON?.()));
      if (steps.items.length === 0) existing.delete(pair.key);
    }
  }
  for (const [stage, steps] of Object.entries(stages)) {
    if (steps.length === 0) continue;
    if (!isMap(doc.get('stages'))) doc.set('stages', doc.createNode({}));
    if (!isSeq(doc.getIn(['stages', stage]))) doc.setIn(['stages', stage], doc.createNode([]));
    const seq = doc.getIn(['stages', stage]);
    if (isSeq(seq)) for (const step of steps) seq.items.push(stepNode(doc, step));
  }
  const after = doc.get('stages');
  if (isMap(after) && after.items.length === 0) doc.delete('stages');
}

/** A step as YAML, each file's mode written in decimal with its octal form as a comment. */
function stepNode(doc: Document, step: StageStep): ReturnType<Document['createNode']> {
  const node = doc.createNode(step);
  const files = isMap(node) ? node.get('files', true) : undefined;
  if (isSeq(files)) {
    for (const item of files.items) {
      const mode = isMap(item) ? item.get('permissions', true) : undefined;
      if (isScalar(mode) && typeof mode.value === 'number') mode.comment = ` 0${mode.value.toString(8)}`;
    }
  }
  return node;
}

function headerOf(text: string): string | undefined {
  const first = text.trimStart().split('\n', 1)[0]?.trim() ?? '';
  return (CLOUD_CONFIG_HEADERS as ReadonlyArray<string>).includes(first) ? first : undefined;
}

function unknownKeys(value: Record<string, unknown>, known: ReadonlyArray<string>, where: string): CloudConfigIssue[] {
  const out: CloudConfigIssue[] = [];
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const guess = closest(key, [...known]);
    const near = distance(key, guess) <= 2;
    out.push({
      severity: 'warning',
      path: where ? `${where}.${key}` : key,
      message: near ? `unknown key "${key}": did you mean "${guess}"? Kairos ignores unknown keys` : `unknown key "${key}": Kairos ignores it`,
    });
  }
  return out;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function validateCloudConfig(text: string): CloudConfigIssue[] {
  const issues: CloudConfigIssue[] = [];
  if (!headerOf(text)) {
    issues.push({ severity: 'error', line: 1, message: 'The first line must be #cloud-config (or #kairos-config, #node-config)' });
  }
  // Pasted text often carries non-breaking spaces, which YAML does not count as indentation.
  text.split('\n').forEach((line, i) => {
    if (line.includes('\u00a0')) issues.push({ severity: 'error', line: i + 1, message: 'This line has a non-breaking space (from a copy-paste?); YAML needs plain spaces' });
  });
  const { doc, lines } = parse(text);
  for (const e of doc.errors) issues.push({ severity: 'error', line: lines.linePos(e.pos[0]).line, message: `YAML: ${e.message.split('\n')[0]}` });
  if (doc.errors.length > 0) return issues;
  const data: unknown = doc.toJS();
  if (data === null || data === undefined) return issues;
  if (!isRecord(data)) return [...issues, { severity: 'error', message: 'The cloud-config must be a mapping (key: value lines)' }];
  const lineOf = (path: ReadonlyArray<string | number>): number | undefined => {
    // A key's own line: its value may be a block that starts on the next line.
    const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
    const pair = isMap(parent) ? parent.items.find((p) => (p.key as { value?: unknown } | null)?.value === path[path.length - 1]) : undefined;
    const node = (pair?.key ?? doc.getIn(path, true)) as { range?: [number, number, number] } | undefined;
    return node?.range ? lines.linePos(node.range[0]).line : undefined;
  };
  const add = (severity: CloudConfigIssue['severity'], path: ReadonlyArray<string | number>, message: string): void => {
    const line = lineOf(path);
    issues.push({ severity, path: path.join('.'), message, ...(line !== undefined ? { line } : {}) });
  };
  issues.push(...unknownKeys(data, KNOWN_TOP, '').map((i) => ({ ...i, ...(lineOf([i.path ?? '']) ? { line: lineOf([i.path ?? '']) } : {}) })));

  if ('users' in data) {
    if (!Array.isArray(data.users)) add('error', ['users'], 'users must be a list');
    else
      data.users.forEach((user: unknown, i: number) => {
        if (!isRecord(user)) return add('error', ['users', i], 'each user must be a mapping');
        if (typeof user.name !== 'string' || user.name === '') add('error', ['users', i], 'each user needs a name');
        else if (!/^[a-z_][a-z0-9_-]*\$?$/.test(user.name)) add('error', ['users', i, 'name'], `"${user.name}" is not a valid Linux user name`);
        if ('passwd' in user && typeof user.passwd !== 'string') add('error', ['users', i, 'passwd'], 'passwd must be text');
        else if (typeof user.passwd === 'string' && user.passwd !== '' && !isCryptHash(user.passwd)) {
          add('warning', ['users', i, 'passwd'], 'the password is in clear text: whoever has the image or the recipe reads it; type it in the form (stored as a SHA-512 crypt hash) or write the output of `openssl passwd -6`');
        }
        // A malformed key list has its own error above; a locked account is locked on purpose.
        const noKeys = !('ssh_authorized_keys' in user) || (Array.isArray(user.ssh_authorized_keys) && user.ssh_authorized_keys.length === 0);
        if (typeof user.name === 'string' && user.name !== '' && !user.passwd && noKeys && user.lock_passwd !== true && user.lockPasswd !== true) {
          add('error', ['users', i], `nobody can log in as ${user.name}: it has no password and no SSH key; type a password, or add an SSH key for key-only login`);
        }
        if ('ssh_authorized_keys' in user) {
          if (!Array.isArray(user.ssh_authorized_keys)) add('error', ['users', i, 'ssh_authorized_keys'], 'ssh_authorized_keys must be a list');
          else
            user.ssh_authorized_keys.forEach((key: unknown, k: number) => {
              if (typeof key !== 'string' || !SSH_KEY.test(key)) add('warning', ['users', i, 'ssh_authorized_keys', k], 'does not look like an SSH public key or github:USER');
            });
        }
        issues.push(...unknownKeys(user, KNOWN_USER, `users.${i}`));
      });
  }
  if ('install' in data) {
    const install = data.install;
    if (!isRecord(install)) add('error', ['install'], 'install must be a mapping');
    else {
      if ('auto' in install && typeof install.auto !== 'boolean') add('error', ['install', 'auto'], 'install.auto must be true or false');
      if ('device' in install && (typeof install.device !== 'string' || !/^(auto|\/dev\/\S+)$/.test(install.device))) {
        add('error', ['install', 'device'], 'install.device must be "auto" or a device path such as /dev/sda');
      }
      if (install.reboot === true && install.poweroff === true) add('error', ['install'], 'install.reboot and install.poweroff exclude each other');
      issues.push(...unknownKeys(install, KNOWN_INSTALL, 'install'));
    }
  }
  for (const provider of ['k3s', 'k3s-agent', 'k0s', 'k0s-worker']) {
    if (!(provider in data)) continue;
    const block = data[provider];
    if (!isRecord(block)) {
      add('error', [provider], `${provider} must be a mapping`);
      continue;
    }
    if ('enabled' in block && typeof block.enabled !== 'boolean') add('error', [provider, 'enabled'], `${provider}.enabled must be true or false`);
    if ('args' in block && !(Array.isArray(block.args) && block.args.every((a) => typeof a === 'string'))) add('error', [provider, 'args'], `${provider}.args must be a list of strings`);
    if ('env' in block && !isRecord(block.env)) add('error', [provider, 'env'], `${provider}.env must be a mapping`);
    issues.push(...unknownKeys(block, KNOWN_PROVIDER, provider));
  }
  for (const problem of deviceSettingsProblems(readDeviceSettings(data))) add('error', ['stages'], problem.message);
  if ('hostname' in data && typeof data.hostname !== 'string') add('error', ['hostname'], 'hostname must be text');
  if ('stages' in data) {
    if (!isRecord(data.stages)) add('error', ['stages'], 'stages must be a mapping of stage names to lists of steps');
    else for (const [name, steps] of Object.entries(data.stages)) if (!Array.isArray(steps)) add('error', ['stages', name], `stages.${name} must be a list of steps`);
  }
  return issues;
}
