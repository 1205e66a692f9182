import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { preflight, withProblems } from '../../../src-shared/preflight/preflight.js';

const example = (name: string) => readFileSync(new URL(`../../../examples/${name}`, import.meta.url), 'utf8');
const KEYS = '  - name: kairos\n    ssh_authorized_keys: [github:someone]\n';

describe('preflight', () => {
  it('accepts every shipped example', () => {
    for (const file of ['debian-bookworm.yaml', 'debian-bookworm-arm64.yaml', 'debian-bookworm-rpi3.yaml', 'debian-bookworm-rpi4.yaml']) {
      const result = preflight({ yaml: example(file) });
      expect(result.problems.filter((p) => p.severity === 'error'), file).toEqual([]);
      expect(result.ok).toBe(true);
    }
  });

  it('reports every problem in one pass, sorted by line', () => {
    const yaml = [
      'name: Bad Name', // 1
      'version: 1.0', // 2
      'source:', // 3
      '  kind: dockerfile', // 4
      '  dockerfile: |', // 5
      '    FROM {{ .BaseImage }', // 6
      'cloudConfig: |', // 7
      '  #cloud-config', // 8
      '  users:', // 9
      '    - name: kairos', // 10
      'output: ""', // 11
      '',
    ].join('\n');
    const result = preflight({ yaml });
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => [p.line, p.path])).toEqual([
      [1, 'name'],
      [2, 'version'],
      [6, 'source.dockerfile'],
      [10, 'cloudConfig.users.0'],
      [11, 'output'],
    ]);
    const [, version, dockerfile, user, output] = result.problems;
    expect(version?.message).toBe('must be text such as "v1.0.0", but YAML reads it as the number 1; quote it');
    // The template's own line and column (its action at 1:6), placed in the file (indented by 4).
    expect(dockerfile).toMatchObject({ line: 6, column: 10 });
    expect(dockerfile?.message).toMatch(/^Dockerfile line 1, column 6: .*fix the template/);
    expect(user?.message).toMatch(/^cloud-config line 3: nobody can log in as kairos/);
    expect(output?.message).toBe('name the output folder (e.g. build)');
  });

  it('gives the wizard the same problems, without lines', () => {
    const draft = { name: 'x', source: { baseImage: 'debian:bookworm' }, cloudConfig: '#cloud-config\nusers:\n  - name: kairos\n', provider: { name: 'none', version: 'v1.33.4+k3s1' } };
    const result = preflight({ recipe: draft });
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => p.path).sort()).toEqual(['cloudConfig.users.0', 'provider.version']);
    expect(result.problems.every((p) => p.line === undefined)).toBe(true);
  });

  it('warns without failing: a clear-text password', () => {
    const result = preflight({ recipe: { name: 'x', source: { baseImage: 'debian:bookworm' }, cloudConfig: '#cloud-config\nusers:\n  - name: kairos\n    passwd: kairos\n' } });
    expect(result.ok).toBe(true);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ severity: 'warning', path: 'cloudConfig.users.0.passwd' });
  });

  it('says Trusted Boot vs artifacts in the wizard\'s words', () => {
    const result = preflight({ recipe: { name: 'x', source: { baseImage: 'debian:bookworm' }, trustedBoot: { enabled: true }, cloudConfig: `#cloud-config\nusers:\n${KEYS}` } });
    expect(result.problems).toEqual([
      { path: 'artifacts', severity: 'error', message: 'Trusted Boot is on, and such a system boots only from a signed UKI: choose "Signed UKI" (uki), and unselect "Hybrid ISO" (iso) (a root filesystem tarball may stay)' },
    ]);
  });

  it('checks provider against version, and model and arch against artifacts', () => {
    const base = { name: 'x', source: { baseImage: 'debian:bookworm' }, cloudConfig: `#cloud-config\nusers:\n${KEYS}` };
    const k0s = preflight({ recipe: { ...base, variant: 'standard', provider: { name: 'k0s', version: 'v1.33.4+k3s1' } } });
    expect(k0s.problems.map((p) => p.message)).toEqual([expect.stringMatching(/^v1\.33\.4\+k3s1 is a k3s release, not a k0s one/)]);
    const pi = preflight({ recipe: { ...base, model: 'rpi4', arch: 'arm64', artifacts: ['iso', 'raw-bios', 'rpi'] } });
    expect(pi.problems.map((p) => [p.severity, p.path])).toEqual([['error', 'artifacts'], ['warning', 'artifacts']]);
  });

  it('stops at a file that is not YAML, with its line', () => {
    const result = preflight({ yaml: 'name: x\n  bad: [\n' });
    expect(result.ok).toBe(false);
    expect(result.problems[0]).toMatchObject({ path: '', severity: 'error' });
    expect(result.problems[0]?.line).toBeGreaterThan(0);
  });

  it('merges problems found by the engine in line order', () => {
    const base = preflight({ yaml: 'name: x\nsource:\n  kind: rootfs\n  path: /nope\n' });
    const merged = withProblems(base, [{ path: 'source.path', severity: 'error', message: 'does not exist', line: 4, column: 9 }]);
    expect(merged.ok).toBe(false);
    expect(merged.problems.at(-1)).toMatchObject({ path: 'source.path' });
  });
});
