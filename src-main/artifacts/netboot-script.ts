// The texts of a netboot folder: its file names, the live kernel command line and the iPXE script.
// Pure: the build writes them, the netboot boot test serves the script with its base pinned.
import { USER_DATA_ARG } from '../../src-shared/kairosify/cloud-init-seed.js';

export interface NetbootNames {
  readonly kernel: string;
  readonly initrd: string;
  readonly squashfs: string;
  readonly script: string;
  readonly config: string;
  /** A plain image's cloud-init user-data (only when the build has one). */
  readonly userData: string;
}

export function netbootNames(name: string): NetbootNames {
  return {
    kernel: `${name}-kernel`,
    initrd: `${name}-initrd`,
    squashfs: `${name}.squashfs`,
    script: `${name}.ipxe`,
    config: `${name}-config.yaml`,
    userData: `${name}-user-data`,
  };
}

export interface NetbootCmdlineOptions {
  /** The recipe's extra kernel arguments (iso.cmdline). */
  readonly extra?: string;
  /** The folder holds <name>-user-data: its URL goes to the kernel as kf.userdata=. */
  readonly userData?: boolean;
}

/**
 * The live kernel command line over the network (AuroraBoot's netboot defaults). Every file is
 * named by an absolute URL: base + file name. dracut's livenet fetches root=live:<url> with curl
 * once the network is up (rd.neednet=1 ip=dhcp); dmsquash-live needs rd.live.overlay.overlayfs=1.
 */
export function netbootCmdline(base: string, names: NetbootNames, options: NetbootCmdlineOptions = {}): string {
  const extra = options.extra?.trim() ?? '';
  return [
    `root=live:${base}${names.squashfs}`,
    'rd.live.overlay.overlayfs=1',
    'rd.neednet=1',
    'ip=dhcp',
    'rd.cos.disable',
    'netboot',
    'nodepair.enable',
    `config_url=${base}${names.config}`,
    ...(options.userData ? [`${USER_DATA_ARG}=${base}${names.userData}`] : []),
    'console=tty1',
    'console=ttyS0,115200',
    ...(extra ? [extra] : []),
  ].join(' ');
}

export interface IpxeScriptOptions extends NetbootCmdlineOptions {
  readonly name: string;
  /** recipe netboot.url, normalized (ends with "/"): where the folder will be served from. */
  readonly url?: string;
}

/** The one line of the script that says where the files are; the boot test pins it (pinScriptBase). */
const BASE_LINE = /^set base .*$/m;

/**
 * The iPXE script. The kernel needs absolute URLs (the squashfs, the cloud-config), so the script
 * must know the URL of its own folder, which it keeps in ${base}.
 *
 * With netboot.url, that URL is written in the script: no self-location at all, so it boots on
 * every iPXE, also the old ones in NIC ROMs, firmware and distribution packages (Debian 12's
 * ipxe-qemu is of 2019-01).
 *
 * Without it, the script asks iPXE for ${cwduri}, the folder it was loaded from. iPXE has that
 * setting only since 2024-03 (commit 88c2a01, release v2.0.0); older builds expand it to nothing,
 * and nothing else can stand in: ${filename} is the DHCP boot file (not a script chained later)
 * and ${next-server} only a host, and iPXE's script language has no string operations to cut a
 * folder out of a URL. So an empty ${cwduri} stops the script with a message that says to set
 * netboot.url (or edit the "set base" line), offers the iPXE shell for 30 s, and otherwise
 * returns to the firmware, which tries its next boot device.
 *
 * Old iPXE: no quoting, words starting with "#" begin a comment and a lone ";", "&&" or "||" is
 * an operator, so the messages avoid them.
 */
export function ipxeScript(options: IpxeScriptOptions): string {
  const { name, url } = options;
  const n = netbootNames(name);
  const boot = [
    `echo Booting ${name} from \${base}`,
    `kernel \${base}${n.kernel} initrd=${n.initrd} ${netbootCmdline('${base}', n, options)}`,
    `initrd \${base}${n.initrd}`,
    'boot',
  ];
  if (url !== undefined) {
    return [
      '#!ipxe',
      `# Netboot ${name} (Kairos Factory), built for ${url} (netboot.url).`,
      '# Serve this folder at that URL (any web server) and boot this script from there: as the DHCP',
      `# boot file, or from an iPXE prompt with: chain ${url}${n.script}`,
      '# Served from elsewhere: write that URL on the "set base" line, or build again with netboot.url.',
      `set base ${url}`,
      ...boot,
      '',
    ].join('\n');
  }
  return [
    '#!ipxe',
    `# Netboot ${name} (Kairos Factory). Serve this folder over HTTP and boot this script from it:`,
    `# as the DHCP boot file, or from an iPXE prompt with: chain http://SERVER/PATH/${n.script}`,
    '# Built without netboot.url: the files are found next to this script through iPXE\'s cwduri,',
    '# which iPXE has only since 2024 (v2.0.0). Older iPXE stops below with a message: build with',
    '# netboot.url (the URL of this folder), or write that URL on the "set base" line.',
    'set base ${cwduri}',
    'iseq x${base} x && goto no-base ||',
    ...boot,
    ':no-base',
    `echo Cannot boot ${name}: this iPXE does not tell where ${n.script} was loaded from`,
    'echo (it has no cwduri setting, which iPXE gained in 2024).',
    `echo Build ${name} with netboot.url set to the URL of this folder, for example`,
    'echo kairos-factory build RECIPE --netboot-url http://SERVER/PATH/',
    `echo or write that URL on the set base line of ${n.script}.`,
    'prompt --timeout 30000 Press any key within 30 s for the iPXE shell, or wait to return to the firmware. && shell ||',
    'exit 1',
    '',
  ].join('\n');
}

/**
 * The script with its base set to `base`, whatever it was built with: how the netboot boot test
 * serves a folder from its own address without touching the folder. Undefined for a script
 * without a "set base" line (not made by Kairos Factory).
 */
export function pinScriptBase(script: string, base: string): string | undefined {
  if (!BASE_LINE.test(script)) return undefined;
  return script.replace(BASE_LINE, `set base ${base}`);
}

export interface NetbootTextsRequest {
  readonly name: string;
  readonly cloudConfig: string;
  /** The recipe's extra kernel arguments (iso.cmdline). */
  readonly extraCmdline?: string;
  /** recipe netboot.url (normalized, ends with "/"): written into the script; without it the script locates itself. */
  readonly netbootUrl?: string;
  /** A plain image's cloud-init user-data: written as <name>-user-data, its URL passed as kf.userdata=. */
  readonly userData?: string;
}

const withNewline = (text: string): string => (text.endsWith('\n') ? text : `${text}\n`);

/** The text files of the folder, [file name, content], in the order their artifacts are listed. */
export function netbootTexts(request: NetbootTextsRequest): ReadonlyArray<readonly [string, string]> {
  const n = netbootNames(request.name);
  const script = ipxeScript({
    name: request.name,
    ...(request.netbootUrl !== undefined ? { url: request.netbootUrl } : {}),
    ...(request.extraCmdline !== undefined ? { extra: request.extraCmdline } : {}),
    userData: request.userData !== undefined,
  });
  return [
    [n.script, script],
    [n.config, withNewline(request.cloudConfig)],
    ...(request.userData !== undefined ? [[n.userData, withNewline(request.userData)] as const] : []),
  ];
}
