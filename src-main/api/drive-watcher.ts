// Drive list with hot-plug refresh: while someone listens, the list is read every 2 s and a
// change is announced. drivelist has no change events, so polling it is; lsblk costs ~10 ms.
import type { Drive } from '../../src-shared/drives/drive-types.js';
import { listDrives } from '../drives/list-drives.js';

const POLL_MS = 2000;

export class DriveWatcher {
  private listeners = 0;
  private timer: NodeJS.Timeout | undefined;
  /** The list last seen; undefined until the first poll after someone starts listening. */
  private lastKey: string | undefined;

  constructor(private readonly onChange: () => void) {}

  list(includeVirtual: boolean): Promise<Drive[]> {
    return listDrives({ includeVirtual });
  }

  retain(): void {
    this.listeners++;
    if (this.listeners === 1) {
      // A drive plugged in between the listener's own list and this first poll would otherwise
      // become the baseline and never be announced: the first poll always announces (one extra
      // re-read of the list, ~10 ms).
      this.lastKey = undefined;
      this.timer = setInterval(() => void this.poll(), POLL_MS);
    }
  }

  release(): void {
    this.listeners = Math.max(0, this.listeners - 1);
    if (this.listeners === 0) this.stop();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async poll(): Promise<void> {
    try {
      const drives = await listDrives({ includeVirtual: true });
      const key = drives.map((d) => `${d.device}:${d.size}:${d.mountpoints.join(',')}`).sort().join('|');
      if (key !== this.lastKey) this.onChange();
      this.lastKey = key;
    } catch {
      // a failed poll is retried on the next tick
    }
  }
}
