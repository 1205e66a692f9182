import { describe, expect, it } from 'vitest';
import { TicketBook } from '../../../src-main/web/ticket-book.js';

describe('TicketBook', () => {
  it('gives random tickets that work once', () => {
    const book = new TicketBook(30_000);
    const a = book.issue();
    const b = book.issue();
    expect(a).not.toBe(b);
    expect(a.length).toBeGreaterThanOrEqual(32);
    expect(book.redeem(a)).toBe(true);
    expect(book.redeem(a)).toBe(false);
    expect(book.redeem(b)).toBe(true);
  });

  it('refuses a ticket past its time, and forgets it', () => {
    let now = 1_000;
    const book = new TicketBook(30_000, () => now);
    const ticket = book.issue();
    now += 29_999;
    const other = book.issue();
    now += 1;
    expect(book.redeem(ticket)).toBe(false);
    expect(book.redeem(other)).toBe(true);
    expect(book.size).toBe(0);
  });

  it('refuses what it never issued', () => {
    const book = new TicketBook(30_000);
    book.issue();
    expect(book.redeem('made-up')).toBe(false);
    expect(book.redeem('')).toBe(false);
    expect(book.redeem(null)).toBe(false);
    expect(book.redeem(undefined)).toBe(false);
  });

  it('keeps a bounded number of outstanding tickets, dropping the oldest', () => {
    let now = 0;
    const book = new TicketBook(30_000, () => now, 3);
    const first = book.issue();
    const rest = [book.issue(), book.issue(), book.issue()];
    expect(book.size).toBe(3);
    expect(book.redeem(first)).toBe(false);
    for (const t of rest) expect(book.redeem(t)).toBe(true);
    now = 1;
    expect(book.size).toBe(0);
  });

  it('prunes expired tickets when it issues', () => {
    let now = 0;
    const book = new TicketBook(10, () => now);
    book.issue();
    book.issue();
    now = 10;
    book.issue();
    expect(book.size).toBe(1);
  });
});
