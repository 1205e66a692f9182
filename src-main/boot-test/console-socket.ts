// The boot test's keyboard on a VM's serial console: a client of the Unix socket qemu listens on
// (-chardev socket,server=on,wait=off). qemu writes the console to the log file itself; what comes
// back on the socket is read and dropped, so the guest never waits on us.
import { connect, type Socket } from 'node:net';

export class ConsoleSocket {
  private connecting: Promise<Socket> | undefined;
  private socket: Socket | undefined;

  constructor(private readonly path: string) {}

  /** Types text on the console; the first call connects (qemu made the socket at its start). */
  async type(text: string, signal: AbortSignal): Promise<void> {
    const socket = await (this.connecting ??= this.connect(signal));
    await new Promise<void>((resolve, reject) => socket.write(text, (error) => (error ? reject(error) : resolve())));
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  private async connect(signal: AbortSignal): Promise<Socket> {
    for (let attempt = 1; ; attempt++) {
      try {
        const socket = await new Promise<Socket>((resolve, reject) => {
          const s = connect(this.path);
          s.once('connect', () => resolve(s));
          s.once('error', reject);
        });
        // Later errors (qemu ending) end the boot through qemu's exit, not through the socket.
        socket.on('error', () => undefined);
        socket.resume();
        this.socket = socket;
        return socket;
      } catch (error) {
        if (attempt >= 20 || signal.aborted) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
}
