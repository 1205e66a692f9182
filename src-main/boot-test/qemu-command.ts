// qemu command lines for boot tests. Pure: the same inputs give the same argv, which the README's
// "independent" command line mirrors.

export type Firmware = 'bios' | 'uefi';
export type Accel = 'tcg' | 'kvm' | 'hvf' | 'whpx';
export type MediaKind = 'cdrom' | 'disk';

export interface QemuOptions {
  readonly artifact: string;
  readonly media: MediaKind;
  readonly firmware: Firmware;
  readonly accel: Accel;
  readonly serialLog: string;
  readonly memoryMiB?: number;
  readonly cpus?: number;
  /** UEFI: firmware code (read-only) and this run's private copy of the variables store. */
  readonly ovmfCode?: string;
  readonly ovmfVars?: string;
  /**
   * UEFI with Secure Boot: the firmware's variables live in SMM (System Management Mode), where
   * only the firmware can change them; OVMF's secboot build refuses to start without it.
   */
  readonly secureBoot?: boolean;
}

/**
 * A value inside qemu's key=value option lists (-drive file=...,media=cdrom): a comma there ends
 * the value, so commas in it are doubled ("a,b.iso" is written "a,,b.iso").
 */
export function qemuOptionValue(value: string): string {
  return value.replace(/,/g, ',,');
}

export function qemuArgs(o: QemuOptions): string[] {
  const v = qemuOptionValue;
  const args: string[] = [];
  if (o.accel === 'tcg') args.push('-accel', 'tcg,thread=multi', '-cpu', 'qemu64');
  else args.push('-accel', o.accel, '-cpu', 'host');
  args.push('-smp', String(o.cpus ?? 2), '-m', String(o.memoryMiB ?? 2048));
  if (o.secureBoot && o.firmware !== 'uefi') throw new Error('Secure Boot needs UEFI');
  args.push('-machine', o.firmware === 'uefi' ? (o.secureBoot ? 'q35,smm=on' : 'q35') : 'pc');
  if (o.secureBoot) args.push('-global', 'driver=cfi.pflash01,property=secure,value=on');
  // No display, no video card (soft lockups under TCG), no reboot: a panic or reset ends qemu.
  // "-serial file:PATH" takes the rest of the argument as the path as it is, commas and all.
  args.push('-display', 'none', '-vga', 'none', '-no-reboot', '-serial', `file:${o.serialLog}`, '-monitor', 'none');
  args.push('-nic', 'user,model=virtio-net-pci');
  if (o.firmware === 'uefi') {
    if (!o.ovmfCode || !o.ovmfVars) throw new Error('UEFI needs OVMF code and vars files');
    args.push('-drive', `if=pflash,format=raw,unit=0,readonly=on,file=${v(o.ovmfCode)}`);
    args.push('-drive', `if=pflash,format=raw,unit=1,file=${v(o.ovmfVars)}`);
  }
  if (o.media === 'cdrom') args.push('-drive', `file=${v(o.artifact)},media=cdrom,readonly=on`, '-boot', 'd');
  else args.push('-drive', `file=${v(o.artifact)},format=raw,if=virtio,snapshot=on`, '-boot', 'c');
  return args;
}

/** The media kind from the file name: .iso boots as a CD, anything else as a disk. */
export function mediaFor(path: string): MediaKind {
  return /\.iso$/i.test(path) ? 'cdrom' : 'disk';
}
