// Linux drives from one `lsblk` call: whole disks and loop devices with everything the target
// policy needs, which drivelist (itself an lsblk reader on Linux) does not keep: the device
// numbers of each disk and its partitions, all mount points (nested ones too), serial and
// /dev/disk/by-id name (the identity a swapped stick is caught by), and a loop device's backing
// file. The engine and the elevated helper both read drives through this, so they agree.
// Memory cards: a card on an SD/MMC host (a laptop's internal reader, a Raspberry Pi's slot) is
// mmcblkN with rm=0 and no transport in lsblk 2.38 ("mmc" from 2.39), which drivelist takes for a
// system disk; it is a removable SD card here, unless it holds a system mount (the policy's rule:
// a Pi booted from its card). A USB card reader is a SCSI disk named by its model, and an empty
// slot of one is a disk of size 0: listed, with the reason it cannot be written.
import { readFile, readdir, readlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { runTool } from '../util/run-tool.js';
import { isCardReaderName } from '../../src-shared/drives/card-reader.js';
import type { Drive, DriveKind, FileId } from '../../src-shared/drives/drive-types.js';
import { pathFacts } from './file-id.js';

export const LSBLK_ARGS = ['-J', '-b', '-o', 'NAME,PATH,MAJ:MIN,SIZE,RO,RM,HOTPLUG,TRAN,SUBSYSTEMS,TYPE,SERIAL,MODEL,VENDOR,MOUNTPOINTS'];

export interface LsblkNode {
  readonly name: string;
  readonly path: string;
  readonly 'maj:min': string;
  readonly size: number | string | null;
  readonly ro: boolean | string;
  readonly rm: boolean | string;
  readonly hotplug?: boolean | string;
  readonly tran?: string | null;
  /** The de-duplicated chain of sysfs subsystems, e.g. "block:mmc:mmc_host:platform:pci", "block:scsi:usb:pci". */
  readonly subsystems?: string | null;
  readonly type: string;
  readonly serial?: string | null;
  readonly model?: string | null;
  readonly vendor?: string | null;
  readonly mountpoints?: ReadonlyArray<string | null>;
  readonly children?: ReadonlyArray<LsblkNode>;
}

/** What lsblk does not say: by-id names and loop backing files, keyed by device path. */
export interface LinuxExtras {
  readonly byId: ReadonlyMap<string, string>;
  readonly loops: ReadonlyMap<string, { readonly path: string; readonly fileId?: FileId }>;
}

const flag = (v: boolean | string | undefined): boolean => v === true || v === '1' || v === 'true';

function walk(node: LsblkNode): LsblkNode[] {
  return [node, ...(node.children ?? []).flatMap(walk)];
}

/** On an SD/MMC host: mmcblk, transport mmc (lsblk >= 2.39) or sd, or mmc in the subsystem chain. */
function onMmcHost(node: LsblkNode): boolean {
  return /^mmcblk\d+$/.test(node.name) || /^(mmc|sd)$/i.test(node.tran ?? '') || (node.subsystems ?? '').split(':').includes('mmc');
}

function kindOf(node: LsblkNode): DriveKind {
  if (node.type === 'loop') return 'loop';
  if (onMmcHost(node)) return 'sd';
  if ((node.tran ?? '').toLowerCase() === 'usb') return isCardReaderName(`${node.vendor ?? ''} ${node.model ?? ''}`) ? 'sd' : 'usb';
  if (flag(node.rm) || flag(node.hotplug)) return 'other';
  return 'internal';
}

/** What is never a target: RAM disks, zram, and an eMMC's hardware boot areas (mmcblk0boot0, 4 MiB, read-only). */
const NEVER_TARGET = /^(zram\d+|ram\d+|mmcblk\d+boot\d+|mmcblk\d+rpmb)$/;

/** lsblk's JSON -> drives (whole disks and attached loop devices, and empty card slots); pure. */
export function drivesFromLsblk(json: string, extras: LinuxExtras): Drive[] {
  const devices = (JSON.parse(json) as { blockdevices?: LsblkNode[] }).blockdevices ?? [];
  const out: Drive[] = [];
  for (const node of devices) {
    const size = Math.max(0, Number(node.size ?? 0) || 0);
    if (!(node.type === 'disk' || node.type === 'loop') || NEVER_TARGET.test(node.name)) continue;
    const kind = kindOf(node);
    const removable = flag(node.rm) || flag(node.hotplug) || kind === 'sd';
    // Size 0: a loop device with nothing attached (dropped), or a reader slot without a card (kept: "no card").
    if (size === 0 && (kind === 'loop' || !removable)) continue;
    const nodes = walk(node);
    const mountpoints = nodes.flatMap((n) => (n.mountpoints ?? []).filter((m): m is string => typeof m === 'string' && m !== ''));
    const loop = extras.loops.get(node.path);
    const byId = extras.byId.get(node.path);
    const serial = node.serial?.trim() || undefined;
    const named = [node.vendor, node.model].map((s) => s?.trim()).filter(Boolean).join(' ');
    // A card on an SD/MMC host has no vendor or model in lsblk (udev names it by the card's CID):
    // the description names the reader, the kind ("SD card") what is in it.
    const description = kind === 'loop' ? (loop ? `Loop device on ${loop.path}` : 'Loop device') : named || (kind === 'sd' ? 'Internal card reader' : node.name);
    out.push({
      device: node.path,
      description,
      size,
      kind,
      removable,
      readOnly: flag(node.ro),
      // drivelist's rule (neither removable nor virtual); the system-mount rule is added by the policy.
      system: !removable && kind !== 'loop',
      virtual: kind === 'loop',
      ...(node.tran ? { busType: node.tran.toUpperCase() } : {}),
      mountpoints,
      identity: { size, ...(serial ? { serial } : {}), ...(byId ? { byId } : {}), ...(loop ? { backingPath: loop.path } : {}) },
      devices: nodes.map((n) => n['maj:min']),
      ...(loop?.fileId ? { backingFile: loop.fileId } : {}),
    });
  }
  return out;
}

/** The by-id name of each device: the most stable one (not wwn-/eui. when a named one exists). */
async function byIdNames(): Promise<Map<string, string>> {
  const dir = '/dev/disk/by-id';
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => !/-part\d+$/.test(n)).sort((a, b) => Number(/^(wwn|nvme-eui)/.test(a)) - Number(/^(wwn|nvme-eui)/.test(b)));
  const map = new Map<string, string>();
  for (const name of names) {
    const target = await readlink(join(dir, name)).catch(() => undefined);
    if (!target) continue;
    const device = `/dev/${basename(target)}`;
    if (!map.has(device)) map.set(device, name);
  }
  return map;
}

async function loopBackings(json: string): Promise<Map<string, { path: string; fileId?: FileId }>> {
  const devices = (JSON.parse(json) as { blockdevices?: LsblkNode[] }).blockdevices ?? [];
  const map = new Map<string, { path: string; fileId?: FileId }>();
  await Promise.all(
    devices
      .filter((d) => d.type === 'loop')
      .map(async (d) => {
        const path = (await readFile(`/sys/block/${d.name}/loop/backing_file`, 'utf8').catch(() => '')).trim();
        if (!path) return;
        const facts = path.endsWith(' (deleted)') ? undefined : await pathFacts(path);
        map.set(d.path, { path, ...(facts ? { fileId: facts.fileId } : {}) });
      }),
  );
  return map;
}

export async function listLinuxDrives(includeVirtual: boolean): Promise<Drive[]> {
  const lsblk = await runTool('lsblk', LSBLK_ARGS);
  if (lsblk.exitCode !== 0) throw new Error(`lsblk failed: ${lsblk.stderr.trim()}`);
  const [byId, loops] = await Promise.all([byIdNames(), loopBackings(lsblk.stdout)]);
  return drivesFromLsblk(lsblk.stdout, { byId, loops }).filter((d) => includeVirtual || d.kind !== 'loop');
}
