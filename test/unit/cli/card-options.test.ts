import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cardConfigs, checkHostnameOption } from '../../../src-main/cli/card-options.js';

const targets = ['/dev/sdb', '/dev/sdc', 'card.img'];
const resolved = ['/dev/sdb', '/dev/sdc', '/home/me/card.img'];

describe('--hostname', () => {
  it('refuses characters a hostname cannot hold, naming the option', () => {
    expect(() => checkHostnameOption('node_{n}')).toThrow('--hostname "node_{n}": "_" cannot be in a hostname');
    expect(() => checkHostnameOption('node-{n}')).not.toThrow();
  });
});

describe('--card-config', () => {
  it('puts each card\'s cloud-config in the order of the targets, keyed by number or target', () => {
    const out = cardConfigs('1:\n  k3s: { enabled: true }\n/home/me/card.img:\n  timezone: UTC\n', 'cards.yaml', targets, resolved);
    expect(out.map((t) => (t === '' ? '' : parse(t)))).toEqual([{ k3s: { enabled: true } }, '', { timezone: 'UTC' }]);
    expect(cardConfigs('/dev/sdc:\n  timezone: UTC\n', 'cards.yaml', targets, resolved)[1]).toBe('timezone: UTC\n');
  });

  it('refuses a card that is not there, naming the option and the file', () => {
    expect(() => cardConfigs('4:\n  timezone: UTC\n', 'cards.yaml', targets, resolved)).toThrow('--card-config cards.yaml: "4" is not one of the 3 cards (numbers run 1 to 3)');
    expect(() => cardConfigs('/dev/sdz:\n  timezone: UTC\n', 'cards.yaml', targets, resolved)).toThrow('"/dev/sdz" is not one of the 3 cards (targets: /dev/sdb, /dev/sdc, card.img)');
  });

  it('refuses a card given twice, a value that is not a mapping, and YAML that is not a mapping', () => {
    expect(() => cardConfigs('1:\n  a: 1\n/dev/sdb:\n  b: 2\n', 'c.yaml', targets, resolved)).toThrow('card 1 is given twice');
    expect(() => cardConfigs('1: hello\n', 'c.yaml', targets, resolved)).toThrow('"1" must hold a cloud-config mapping');
    expect(() => cardConfigs('- 1\n', 'c.yaml', targets, resolved)).toThrow('must be a mapping of cards to cloud-config');
  });
});
