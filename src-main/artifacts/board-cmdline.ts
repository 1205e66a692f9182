// The kernel's consoles and board arguments per architecture and model, for the grub.cfg of every
// medium. The serial console comes last so it is /dev/console and boot messages reach a headless
// machine's (and a VM's) log. Pure.
import type { Arch } from '../../src-shared/recipe/catalog.js';

/** Raspberry Pi models the app makes SD cards for. */
export function isRaspberryPiModel(model: string | undefined): boolean {
  return model === 'rpi3' || model === 'rpi4';
}

/**
 * amd64: the PC's first UART (ttyS0). arm64: the PL011 (ttyAMA0) of servers and qemu's virt
 * machine. Raspberry Pi: also the mini UART (ttyS0, GPIO 14/15 with enable_uart=1) as /dev/console,
 * and Kairos' arguments for the board (upstream kairos-init): one 8250 port, the vc4 display
 * driver kept out (it hangs headless boots), memory cgroups on.
 */
export function boardCmdline(arch: Arch = 'amd64', model?: string): string[] {
  if (arch === 'amd64') return ['console=tty1', 'console=ttyS0,115200'];
  if (isRaspberryPiModel(model)) {
    return ['console=tty1', 'console=ttyAMA0,115200', 'console=ttyS0,115200', '8250.nr_uarts=1', 'modprobe.blacklist=vc4', 'cgroup_enable=memory'];
  }
  return ['console=tty1', 'console=ttyAMA0,115200'];
}
