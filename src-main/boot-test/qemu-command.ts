// qemu command lines for boot tests. Pure: the same inputs give the same argv. The README's
// "independent" command line is its BIOS form, with the console on the terminal instead.

export type Firmware = 'bios' | 'uefi';
export type Accel = 'tcg' | 'kvm' | 'hvf' | 'whpx';
export type MediaKind = 'cdrom' | 'disk';

export interface QemuOptions {
  readonly artifact: string;
  readonly media: MediaKind;
  readonly firmware: Firmware;
  readonly accel: Accel;
  /** Where qemu writes the serial console (everything the guest prints). */
  readonly serialLog: string;
  /**
   * A Unix socket qemu listens on for the same serial console, two-way: what a client writes
   * there is typed on the console (a login). The guest never waits for a client: until one
   * connects, the output only goes to serialLog.
   */
  readonly serialSocket: string;
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
  /**
   * Netboot (BIOS): no medium (artifact and media are not used); qemu's DHCP hands this URL to
   * the network card's iPXE ROM as the boot file. SeaBIOS then also prints to the serial console
   * (graphics=off), so iPXE's messages are in the log.
   */
  readonly netbootUrl?: string;
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
  args.push('-display', 'none', '-vga', 'none', '-no-reboot');
  args.push('-chardev', `socket,id=serial0,path=${v(o.serialSocket)},server=on,wait=off,logfile=${v(o.serialLog)}`);
  args.push('-serial', 'chardev:serial0', '-monitor', 'none');
  if (o.netbootUrl !== undefined) args.push('-machine', 'graphics=off');
  args.push('-nic', o.netbootUrl !== undefined ? `user,model=virtio-net-pci,bootfile=${v(o.netbootUrl)}` : 'user,model=virtio-net-pci');
  if (o.firmware === 'uefi') {
    if (!o.ovmfCode || !o.ovmfVars) throw new Error('UEFI needs OVMF code and vars files');
    args.push('-drive', `if=pflash,format=raw,unit=0,readonly=on,file=${v(o.ovmfCode)}`);
    args.push('-drive', `if=pflash,format=raw,unit=1,file=${v(o.ovmfVars)}`);
  }
  if (o.netbootUrl !== undefined) args.push('-boot', 'n');
  else if (o.media === 'cdrom') args.push('-drive', `file=${v(o.artifact)},media=cdrom,readonly=on`, '-boot', 'd');
  else args.push('-drive', `file=${v(o.artifact)},format=raw,if=virtio,snapshot=on`, '-boot', 'c');
  return args;
}

/** The media kind from the file name: .iso boots as a CD, anything else as a disk. */
export function mediaFor(path: string): MediaKind {
  return /\.iso$/i.test(path) ? 'cdrom' : 'disk';
}
