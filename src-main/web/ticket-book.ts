// Short-lived, single-use tickets for the event WebSocket: a browser cannot put a header on a
// WebSocket, so the page asks for a ticket with its Bearer token and opens /api/events?ticket=...
// A ticket in a URL can leak only where URLs leak (a log), and is worthless there: used or expired.
import { randomBytes } from 'node:crypto';

export class TicketBook {
  /** ticket -> when it expires (ms); insertion order is age order. */
  private readonly tickets = new Map<string, number>();

  constructor(
    readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    /** Outstanding tickets kept at most; the oldest go first. */
    private readonly max = 64,
  ) {}

  issue(): string {
    this.prune();
    while (this.tickets.size >= this.max) this.tickets.delete(this.tickets.keys().next().value as string);
    const ticket = randomBytes(24).toString('base64url');
    this.tickets.set(ticket, this.now() + this.ttlMs);
    return ticket;
  }

  /** True once for a ticket issued here and not expired; it is gone after, whatever the answer. */
  redeem(ticket: string | null | undefined): boolean {
    if (!ticket) return false;
    const expires = this.tickets.get(ticket);
    this.tickets.delete(ticket);
    return expires !== undefined && this.now() < expires;
  }

  get size(): number {
    return this.tickets.size;
  }

  private prune(): void {
    const now = this.now();
    for (const [ticket, expires] of this.tickets) if (expires <= now) this.tickets.delete(ticket);
  }
}
