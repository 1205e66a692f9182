// The device settings Raspberry Pi Imager users expect (Wi-Fi, time zone, keyboard layout, SSH by
// key only), as Kairos applies them: Kairos has no cloud-config key for any of them (its
// cloud-init layer reads only users, SSH keys, write_files, runcmd and hostname), so the form
// writes them as yip `stages` steps of its own, by name, each made only of `files` and `commands`:
//   - files in `initramfs` (written every boot, before the services start: in Kairos /etc lives
//     in memory), as upstream's Wi-Fi example does;
//   - commands in `boot` (the booted system, with systemd up).
// A plain image runs the same steps through cloud-init (plain-image.ts: files -> write_files,
// commands -> runcmd). The form reads its fields back from these steps. Pure.
//
// Wi-Fi: wpa_supplicant on wlan0 (the Raspberry Pi's on-board interface) with the WPA2 PSK
// (never the passphrase), the regulatory country, and DHCP through systemd-networkd: the network
// stack of the Debian, Ubuntu and openSUSE images (the scratch recipes and Kairos' own).
// Keyboard: /etc/default/keyboard (Debian/Ubuntu's console-setup, and localed on Debian) and
// /etc/vconsole.conf (systemd's, the other families). Time zone: /etc/localtime and /etc/timezone.
// SSH keys only: an sshd_config.d drop-in turning password logins off.
import { bytesToHex, bytesToUtf8, hexToBytes, utf8ToBytes } from '@noble/hashes/utils';
import { parse } from 'yaml';
import { shellQuote } from '../util/shell-quote.js';

export const STEP_PREFIX = 'kairos-factory:';
export const WIFI_STEP = `${STEP_PREFIX} Wi-Fi`;
export const KEYBOARD_STEP = `${STEP_PREFIX} keyboard`;
export const TIMEZONE_STEP = `${STEP_PREFIX} time zone`;
export const SSH_STEP = `${STEP_PREFIX} SSH keys only`;
const FORM_STEPS = [WIFI_STEP, KEYBOARD_STEP, TIMEZONE_STEP, SSH_STEP];

export const WIFI_INTERFACE = 'wlan0';
export const WPA_CONF = `/etc/wpa_supplicant/wpa_supplicant-${WIFI_INTERFACE}.conf`;
export const WIFI_NETWORK = `/etc/systemd/network/25-${WIFI_INTERFACE}.network`;
export const KEYBOARD_FILE = '/etc/default/keyboard';
export const VCONSOLE_FILE = '/etc/vconsole.conf';
export const SSHD_DROPIN = '/etc/ssh/sshd_config.d/10-kairos-factory.conf';

export interface WifiSettings {
  readonly ssid: string;
  /** The WPA2 PSK (64 hex digits); empty for an open network. */
  readonly psk: string;
  /** ISO 3166 alpha-2 country code (the regulatory domain), e.g. "DE". */
  readonly country: string;
  /** The network does not broadcast its SSID: probe for it. */
  readonly hidden: boolean;
}

export interface DeviceSettings {
  readonly wifi?: WifiSettings;
  /** An XKB layout: "us", "de", "gb", "fr"... */
  readonly keyboard: string;
  /** An IANA time zone: "Europe/Berlin", "UTC". */
  readonly timezone: string;
  readonly sshKeysOnly: boolean;
}

/** One yip file, as the stage writes it. */
export interface StageFile {
  readonly path: string;
  readonly content: string;
  /** The mode; written as a decimal number, which every YAML reader reads the same. */
  readonly permissions: number;
  readonly owner: number;
  readonly group: number;
}

export interface StageStep {
  readonly name: string;
  readonly files?: ReadonlyArray<StageFile>;
  readonly commands?: ReadonlyArray<string>;
}

export type FormStages = Readonly<Record<'initramfs' | 'boot', ReadonlyArray<StageStep>>>;

const file = (path: string, content: string, permissions = 0o644): StageFile => ({ path, content, permissions, owner: 0, group: 0 });

/** wpa_supplicant's ssid: quoted when that is unambiguous, else the bytes in hex. */
function wpaSsid(ssid: string): string {
  return /^[\x20-\x7e]*$/.test(ssid) && !ssid.includes('"') ? `"${ssid}"` : bytesToHex(utf8ToBytes(ssid));
}

function readWpaSsid(value: string): string {
  if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) return value.slice(1, -1);
  if (/^([0-9a-fA-F]{2})+$/.test(value)) return bytesToUtf8(hexToBytes(value));
  return value;
}

export function wpaSupplicantConf(wifi: WifiSettings): string {
  const lines = [
    '# Written by the Kairos Factory Cloud-config form: the PSK, never the passphrase.',
    'ctrl_interface=DIR=/run/wpa_supplicant GROUP=netdev',
    'update_config=0',
    ...(wifi.country ? [`country=${wifi.country}`] : []),
    'network={',
    `  ssid=${wpaSsid(wifi.ssid)}`,
    ...(wifi.hidden ? ['  scan_ssid=1'] : []),
    ...(wifi.psk ? ['  key_mgmt=WPA-PSK', `  psk=${wifi.psk.toLowerCase()}`] : ['  key_mgmt=NONE']),
    '}',
  ];
  return `${lines.join('\n')}\n`;
}

/** The Wi-Fi settings in a wpa_supplicant file the form wrote (undefined without a network). */
export function readWpaSupplicantConf(text: string): WifiSettings | undefined {
  const value = (key: string): string | undefined => new RegExp(`^\\s*${key}=(.*)$`, 'm').exec(text)?.[1]?.trim();
  const ssid = value('ssid');
  if (ssid === undefined) return undefined;
  const psk = value('psk') ?? '';
  return { ssid: readWpaSsid(ssid), psk: /^[0-9a-fA-F]{64}$/.test(psk) ? psk : '', country: value('country') ?? '', hidden: value('scan_ssid') === '1' };
}

const WIFI_NETWORK_TEXT = `[Match]\nName=${WIFI_INTERFACE}\n\n[Network]\nDHCP=yes\n`;

function keyboardFile(layout: string): string {
  return `XKBMODEL="pc105"\nXKBLAYOUT="${layout}"\nXKBVARIANT=""\nXKBOPTIONS=""\nBACKSPACE="guess"\n`;
}

/** The console keymap of an XKB layout where kbd names it differently. */
const CONSOLE_KEYMAP: Readonly<Record<string, string>> = { gb: 'uk' };

function vconsoleFile(layout: string): string {
  return `KEYMAP=${CONSOLE_KEYMAP[layout] ?? layout}\nXKBLAYOUT=${layout}\nXKBMODEL=pc105\n`;
}

// The zone is quoted for the shell: the form writes what is typed, checked only afterwards.
function timezoneCommands(zone: string): string[] {
  return [`ln -sf ${shellQuote(`/usr/share/zoneinfo/${zone}`)} /etc/localtime`, `echo ${shellQuote(zone)} > /etc/timezone`];
}

function readTimezoneCommand(command: unknown): string | undefined {
  if (typeof command !== 'string') return undefined;
  const m = /^ln -sf (?:'\/usr\/share\/zoneinfo\/(.*)'|\/usr\/share\/zoneinfo\/(\S+)) \/etc\/localtime$/.exec(command);
  return m ? (m[1] ?? m[2] ?? '').replace(/'\\''/g, "'") : undefined;
}

/** The steps the form writes for these settings (empty lists when none is set). */
export function formStages(settings: DeviceSettings): FormStages {
  const initramfs: StageStep[] = [];
  const boot: StageStep[] = [];
  if (settings.wifi) {
    initramfs.push({ name: WIFI_STEP, files: [file(WPA_CONF, wpaSupplicantConf(settings.wifi), 0o600), file(WIFI_NETWORK, WIFI_NETWORK_TEXT)] });
    // --no-block: the boot stage runs inside a boot unit; waiting for another unit could deadlock.
    boot.push({ name: WIFI_STEP, commands: [`systemctl enable --now --no-block wpa_supplicant@${WIFI_INTERFACE}.service`] });
  }
  if (settings.keyboard) {
    initramfs.push({ name: KEYBOARD_STEP, files: [file(KEYBOARD_FILE, keyboardFile(settings.keyboard)), file(VCONSOLE_FILE, vconsoleFile(settings.keyboard))] });
  }
  if (settings.sshKeysOnly) {
    initramfs.push({ name: SSH_STEP, files: [file(SSHD_DROPIN, 'PasswordAuthentication no\nKbdInteractiveAuthentication no\n')] });
  }
  if (settings.timezone) {
    boot.push({ name: TIMEZONE_STEP, commands: timezoneCommands(settings.timezone) });
  }
  return { initramfs, boot };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The form's steps found in a parsed cloud-config, by name, from every stage. */
function namedSteps(data: Record<string, unknown>, name: string): Record<string, unknown>[] {
  const stages = isRecord(data.stages) ? data.stages : {};
  return Object.values(stages).flatMap((steps) => (Array.isArray(steps) ? steps.filter((s): s is Record<string, unknown> => isRecord(s) && s.name === name) : []));
}

function stepFile(data: Record<string, unknown>, name: string, path: string): string | undefined {
  for (const step of namedSteps(data, name)) {
    const files = Array.isArray(step.files) ? step.files : [];
    const found = files.find((f): f is Record<string, unknown> => isRecord(f) && f.path === path);
    if (found && typeof found.content === 'string') return found.content;
  }
  return undefined;
}

/** The settings as the form's steps hold them (cloud-init's own `timezone` key is read too). */
export function readDeviceSettings(data: Record<string, unknown>): DeviceSettings {
  const wpa = stepFile(data, WIFI_STEP, WPA_CONF);
  const wifi = wpa === undefined ? undefined : readWpaSupplicantConf(wpa);
  const keyboard = /^XKBLAYOUT="?([^"\n]*)"?$/m.exec(stepFile(data, KEYBOARD_STEP, KEYBOARD_FILE) ?? '')?.[1] ?? '';
  const link = namedSteps(data, TIMEZONE_STEP)
    .flatMap((s) => (Array.isArray(s.commands) ? s.commands : []))
    .map(readTimezoneCommand)
    .find((z) => z !== undefined);
  const timezone = link ?? (typeof data.timezone === 'string' ? data.timezone : '');
  const sshKeysOnly = stepFile(data, SSH_STEP, SSHD_DROPIN) !== undefined;
  return { ...(wifi ? { wifi } : {}), keyboard, timezone, sshKeysOnly };
}

/** Whether a step is one the form owns (rewritten whole whenever the form writes). */
export function isFormStep(step: unknown): boolean {
  return isRecord(step) && typeof step.name === 'string' && FORM_STEPS.includes(step.name);
}

/** What is wrong with each setting, by form field. */
export function deviceSettingsProblems(settings: DeviceSettings): Array<{ field: string; message: string }> {
  const out: Array<{ field: string; message: string }> = [];
  const wifi = settings.wifi;
  if (wifi) {
    const bytes = utf8ToBytes(wifi.ssid).length;
    if (bytes === 0 || bytes > 32) out.push({ field: 'wifi.ssid', message: `the Wi-Fi SSID must be 1 to 32 bytes, not ${bytes}` });
    if (wifi.psk && !/^[0-9a-fA-F]{64}$/.test(wifi.psk)) out.push({ field: 'wifi.psk', message: 'the Wi-Fi PSK must be 64 hex digits (type the passphrase in the form)' });
    if (!/^[A-Z]{2}$/.test(wifi.country)) out.push({ field: 'wifi.country', message: `the Wi-Fi country must be a two-letter ISO 3166 code such as DE or US${wifi.country ? `, not "${wifi.country}"` : ''}: it sets which channels and powers are legal` });
  }
  if (settings.keyboard && !/^[a-z][a-z0-9_-]{0,15}$/.test(settings.keyboard)) out.push({ field: 'keyboard', message: `"${settings.keyboard}" is not an XKB keyboard layout such as us, de, gb or fr` });
  if (settings.timezone && !/^[A-Za-z0-9_+-]+(\/[A-Za-z0-9_+-]+)*$/.test(settings.timezone)) {
    out.push({ field: 'timezone', message: `"${settings.timezone}" is not a time zone such as Europe/Berlin or UTC` });
  }
  return out;
}

export interface DeviceNeeds {
  /** wpa_supplicant, the regulatory database and iw. */
  readonly wifi: boolean;
  /** The console keymap tools that read the keyboard files. */
  readonly keyboard: boolean;
}

/** What the image must carry for the form's steps in this cloud-config to work. */
export function deviceNeeds(data: unknown): DeviceNeeds {
  if (!isRecord(data)) return { wifi: false, keyboard: false };
  return { wifi: namedSteps(data, WIFI_STEP).length > 0, keyboard: namedSteps(data, KEYBOARD_STEP).length > 0 };
}

/** deviceNeeds of a cloud-config's text (none when it does not parse: the recipe checks say why). */
export function cloudConfigNeeds(cloudConfig: string): DeviceNeeds {
  try {
    return deviceNeeds(parse(cloudConfig));
  } catch {
    return deviceNeeds(undefined);
  }
}
