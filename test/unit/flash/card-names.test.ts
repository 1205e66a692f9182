import { describe, expect, it } from 'vitest';
import { expandHostnames, hostnamePatternProblem, hostnameProblem, serialTag } from '../../../src-shared/flash/card-names.js';

const cards = (...targets: string[]) => targets.map((target) => ({ target }));

describe('expandHostnames', () => {
  it('numbers the cards from 1 in the order of the targets', () => {
    expect(expandHostnames('node-{n}', cards('/dev/sdb', '/dev/sdc', '/dev/sdd'), '--hostname')).toEqual({ ok: true, names: ['node-1', 'node-2', 'node-3'] });
  });

  it("fills {serial} with each drive's serial, made hostname-safe", () => {
    const result = expandHostnames('pi-{serial}', [{ target: '/dev/sdb', serial: 'AA01_B2 c3' }, { target: '/dev/sdc', serial: '000000001206' }], '--hostname');
    expect(result).toEqual({ ok: true, names: ['pi-aa01-b2-c3', 'pi-000000001206'] });
  });

  it('lets one card have a fixed name', () => {
    expect(expandHostnames('gateway', cards('/dev/sdb'), '--hostname')).toEqual({ ok: true, names: ['gateway'] });
  });

  it('refuses one fixed name for several cards', () => {
    const result = expandHostnames('node', cards('/dev/sdb', '/dev/sdc'), '--hostname');
    expect(result).toEqual({ ok: false, message: '--hostname "node" would give all 2 cards the same name: add {n} (the card\'s number) or {serial}' });
  });

  it('refuses two cards with the same serial (two slots of one reader), saying to add {n}', () => {
    const result = expandHostnames('pi-{serial}', [{ target: '/dev/sdb', serial: 'X1' }, { target: '/dev/sdc', serial: 'X1' }], '--hostname');
    expect(result.ok).toBe(false);
    expect(result.ok ? 'accepted' : result.message).toBe('--hostname "pi-{serial}" names cards 1 and 2 both "pi-x1" (their readers report the same serial): add {n} to tell them apart');
    expect(expandHostnames('pi-{serial}-{n}', [{ target: '/dev/sdb', serial: 'X1' }, { target: '/dev/sdc', serial: 'X1' }], '--hostname')).toEqual({ ok: true, names: ['pi-x1-1', 'pi-x1-2'] });
  });

  it('refuses a name longer than the kernel keeps, naming the card', () => {
    const result = expandHostnames(`${'a'.repeat(62)}-{n}`, cards('/dev/sdb'), '--hostname');
    expect(result.ok ? 'accepted' : result.message).toMatch(/^--hostname ".*" for card 1 \(\/dev\/sdb\): ".*" is 64 characters long; a hostname has at most 63$/);
    expect(expandHostnames(`${'a'.repeat(60)}-{n}`, cards('/dev/sdb'), '--hostname').ok).toBe(true);
  });
});

describe('hostnamePatternProblem', () => {
  it.each([
    ['node_{n}', '--hostname "node_{n}": "_" cannot be in a hostname; use letters, digits and "-" (and {n} or {serial})'],
    ['node {n}', '--hostname "node {n}": a space cannot be in a hostname; use letters, digits and "-" (and {n} or {serial})'],
    ['node-{N}', '--hostname "node-{N}": {N} is not a placeholder; use {n} or {serial}'],
    ['node-{n', '--hostname "node-{n": {n is not a placeholder; use {n} or {serial}'],
    ['  ', '--hostname is empty: give a hostname pattern such as node-{n}'],
  ])('refuses %j naming the option', (pattern, message) => {
    expect(hostnamePatternProblem(pattern, '--hostname')).toBe(message);
  });

  it('accepts letters, digits, "-", dots and the placeholders', () => {
    expect(hostnamePatternProblem('Rack2.node-{n}-{serial}', '--hostname')).toBeUndefined();
  });
});

describe('hostnameProblem', () => {
  it('refuses labels that start or end with "-" and empty labels', () => {
    expect(hostnameProblem('-node')).toBe('"-node" has a part that starts or ends with "-"');
    expect(hostnameProblem('node.')).toBe('"node." has an empty part between dots');
    expect(hostnameProblem('node-1.lab')).toBeUndefined();
  });
});

describe('serialTag', () => {
  it('keeps the last 16 characters of a long serial', () => {
    expect(serialTag({ target: '/dev/sdb', serial: '0123456789abcdefGHIJ' })).toBe('456789abcdefghij');
  });

  it('gives a drive without a serial a stable tag from its by-id name, backing file or path', () => {
    const byId = serialTag({ target: '/dev/sdb', byId: 'usb-Generic_Reader-0:0' });
    expect(byId).toMatch(/^x[0-9a-f]{7}$/);
    expect(serialTag({ target: '/dev/sdc', byId: 'usb-Generic_Reader-0:0' })).toBe(byId);
    expect(serialTag({ target: '/dev/loop3', backingPath: '/tmp/a.img' })).not.toBe(serialTag({ target: '/dev/loop3', backingPath: '/tmp/b.img' }));
    expect(serialTag({ target: '/tmp/card.img' })).toBe(serialTag({ target: '/tmp/card.img' }));
  });
});
