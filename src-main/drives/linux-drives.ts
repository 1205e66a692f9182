// Linux drives from one `lsblk` call: whole disks and loop devices with everything the target
// policy needs, which drivelist (itself an lsblk reader on Linux) does not keep: the device
// numbers of each disk and its partitions, all mount points (nested ones too), serial and
// /dev/disk/by-id name (the identity a swapped stick is caught by), and a loop device's backing
// file. The engine and the elevated helper both read drives through this, so they agree.
import { readFile, readdir, readlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { runTool } from '../util/run-tool.js';
import type { Drive, DriveKind, FileId } from '../../src-shared/drives/drive-types.js';
import { pathFacts } from './file-id.js';

export const LSBLK_ARGS = ['-J', '-b', '-o', 'NAME,PATH,MAJ:MIN,SIZE,RO,RM,HOTPLUG,TRAN,TYPE,SERIAL,MODEL,VENDOR,MOUNTPOINTS'];

export interface LsblkNode {
  readonly name: string;
  readonly path: string;
  readonly 'maj:min': string;
  readonly size: number | string | null;
  readonly ro: boolean | string;
  readonly rm: boolean | string;
  readonly hotplug?: boolean | string;
  readonly tran?: string | null;
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

function kindOf(node: LsblkNode): DriveKind {
  if (node.type === 'loop') return 'loop';
  if (/^mmcblk/.test(node.name) || /^(mmc|sd)$/i.test(node.tran ?? '')) return 'sd';
  if ((node.tran ?? '').toLowerCase() === 'usb') return 'usb';
  if (flag(node.rm) || flag(node.hotplug)) return 'other';
  return 'internal';
}

/** lsblk's JSON -> drives (whole disks and loop devices with a size); pure. */
export function drivesFromLsblk(json: string, extras: LinuxExtras): Drive[] {
  const devices = (JSON.parse(json) as { blockdevices?: LsblkNode[] }).blockdevices ?? [];
  const out: Drive[] = [];
  for (const node of devices) {
    const size = Number(node.size ?? 0);
    if (!(node.type === 'disk' || node.type === 'loop') || size <= 0 || /^(zram|ram)\d+$/.test(node.name)) continue;
    const nodes = walk(node);
    const mountpoints = nodes.flatMap((n) => (n.mountpoints ?? []).filter((m): m is string => typeof m === 'string' && m !== ''));
    const kind = kindOf(node);
    const removable = flag(node.rm) || flag(node.hotplug) || kind === 'sd';
    const loop = extras.loops.get(node.path);
    const byId = extras.byId.get(node.path);
    const serial = node.serial?.trim() || undefined;
    const description =
      kind === 'loop' ? (loop ? `Loop device on ${loop.path}` : 'Loop device') : [node.vendor, node.model].map((s) => s?.trim()).filter(Boolean).join(' ') || node.name;
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
