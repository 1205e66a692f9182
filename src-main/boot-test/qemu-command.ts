// qemu command lines for boot tests. Pure: the same inputs give the same argv. The README's
// "independent" command line is its BIOS form, with the console on the terminal instead.

export type Firmware = 'bios' | 'uefi';
export type Accel = 'tcg' | 'kvm' | 'hvf' | 'whpx';
export type MediaKind = 'cdrom' | 'disk';
/**
 * The emulated machine: a PC (pc for BIOS, q35 for UEFI), qemu's generic arm64 machine "virt"
 * with UEFI (AAVMF), or a Raspberry Pi 3 B ("raspi3b") started at the SD card's own U-Boot.
 */
export type Machine = 'pc' | 'virt' | 'raspi3b';

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
  /** Default pc. virt takes firmware uefi (AAVMF in ovmfCode/ovmfVars); raspi3b takes uboot and dtb. */
  readonly machine?: Machine;
  /** raspi3b: U-Boot (started as the "kernel", as the Pi's firmware would) and the board's DTB. */
  readonly uboot?: string;
  readonly dtb?: string;
}

/**
 * A value inside qemu's key=value option lists (-drive file=...,media=cdrom): a comma there ends
 * the value, so commas in it are doubled ("a,b.iso" is written "a,,b.iso").
 */
export function qemuOptionValue(value: string): string {
  return value.replace(/,/g, ',,');
}

export function qemuArgs(o: QemuOptions): string[] {
  if (o.machine === 'virt') return virtArgs(o);
  if (o.machine === 'raspi3b') return raspi3bArgs(o);
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

/** The serial console: a two-way socket whose output qemu also logs (see QemuOptions.serialSocket). */
function serialChardev(o: QemuOptions, id = 'serial0'): string[] {
  const v = qemuOptionValue;
  return ['-chardev', `socket,id=${id},path=${v(o.serialSocket)},server=on,wait=off,logfile=${v(o.serialLog)}`];
}

/**
 * arm64 UEFI: qemu's virt machine, a Cortex-A53, AAVMF in two pflash drives; the disk on
 * virtio-blk, an ISO on a virtio-scsi CD drive (virt has no IDE). The PL011 UART is the console.
 */
function virtArgs(o: QemuOptions): string[] {
  const v = qemuOptionValue;
  if (!o.ovmfCode || !o.ovmfVars) throw new Error('virt needs AAVMF code and vars files');
  if (o.accel !== 'tcg' && o.accel !== 'kvm' && o.accel !== 'hvf') throw new Error(`virt cannot use ${o.accel}`);
  return [
    '-machine', 'virt',
    ...(o.accel === 'tcg' ? ['-accel', 'tcg,thread=multi', '-cpu', 'cortex-a53'] : ['-accel', o.accel, '-cpu', 'host']),
    '-smp', String(o.cpus ?? 2), '-m', String(o.memoryMiB ?? 2048),
    '-display', 'none', '-no-reboot',
    ...serialChardev(o),
    '-serial', 'chardev:serial0', '-monitor', 'none',
    '-nic', 'user,model=virtio-net-pci',
    '-drive', `if=pflash,format=raw,unit=0,readonly=on,file=${v(o.ovmfCode)}`,
    '-drive', `if=pflash,format=raw,unit=1,file=${v(o.ovmfVars)}`,
    ...(o.media === 'cdrom'
      ? ['-drive', `file=${v(o.artifact)},format=raw,if=none,id=cd0,media=cdrom,readonly=on`, '-device', 'virtio-scsi-pci', '-device', 'scsi-cd,drive=cd0,bootindex=0']
      : ['-drive', `file=${v(o.artifact)},format=raw,if=none,id=disk0,snapshot=on`, '-device', 'virtio-blk-pci,drive=disk0,bootindex=0']),
  ];
}

/**
 * A Raspberry Pi 3 B: no VideoCore, so qemu starts U-Boot itself with the DTB the firmware would
 * have loaded; the card is the artifact (a qcow2 overlay whose size is a power of two, as the SD
 * emulation demands). U-Boot and Linux talk on the mini UART, qemu's second serial port. The
 * machine has 1 GiB and four cores, fixed.
 */
function raspi3bArgs(o: QemuOptions): string[] {
  const v = qemuOptionValue;
  if (!o.uboot || !o.dtb) throw new Error('raspi3b needs U-Boot and the DTB');
  return [
    '-machine', 'raspi3b',
    '-accel', 'tcg,thread=multi',
    '-kernel', o.uboot,
    '-dtb', o.dtb,
    '-display', 'none', '-no-reboot',
    // Not "serial0": qemu names the chardev of the first -serial (null) that way.
    ...serialChardev(o, 'console0'),
    '-serial', 'null', '-serial', 'chardev:console0', '-monitor', 'none',
    '-drive', `file=${v(o.artifact)},format=qcow2,if=sd`,
  ];
}

/** The smallest power of two at least `bytes` (an SD card size qemu accepts). */
export function sdCardSize(bytes: number): number {
  let size = 1;
  while (size < bytes) size *= 2;
  return size;
}

/** The media kind from the file name: .iso boots as a CD, anything else as a disk. */
export function mediaFor(path: string): MediaKind {
  return /\.iso$/i.test(path) ? 'cdrom' : 'disk';
}
