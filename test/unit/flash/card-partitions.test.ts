import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cardFiles } from '../../../src-main/flash/card-partitions.js';

const IMAGE = '#cloud-config\nhostname: kairos-{{ trunc 4 .MachineID }}\nusers:\n  - name: kairos\n    passwd: kairos\n';

describe('cardFiles', () => {
  it("gives a framework image only its 90_custom.yaml, with the card's hostname", () => {
    const files = cardFiles(IMAGE, false, { hostname: 'node-1' }, 1);
    expect(files.map(([name]) => name)).toEqual(['90_custom.yaml']);
    expect(parse(files[0]![1])).toMatchObject({ hostname: 'node-1' });
  });

  it('gives a plain image the user-data cloud-init applies, with the same hostname', () => {
    const files = cardFiles(IMAGE, true, { hostname: 'node-2', cloudConfig: 'timezone: Europe/Rome\n' }, 2);
    expect(files.map(([name]) => name)).toEqual(['90_custom.yaml', 'user-data']);
    expect(files[1]![1].startsWith('#cloud-config\n')).toBe(true);
    expect(parse(files[1]![1])).toMatchObject({ hostname: 'node-2', preserve_hostname: false, timezone: 'Europe/Rome' });
  });

  it("refuses a card's template a plain image cannot render, naming the card", () => {
    expect(() => cardFiles(IMAGE, true, { cloudConfig: 'write_files:\n  - path: /x\n    content: "{{ .Values.x }}"\n' }, 3)).toThrow(/^Card 3's cloud-config cannot be applied by this plain image: the template/);
  });
});
