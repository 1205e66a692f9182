// Snapshot tests: the Dockerfiles are pinned as real files under __snapshots__, reviewed like code.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateDockerfile } from '../../../src-shared/kairosify/dockerfile.js';
import { parseOsRelease } from '../../../src-shared/kairosify/os-release.js';
import { RecipeSchema, type RecipeInput } from '../../../src-shared/recipe/recipe-schema.js';
import { AppError } from '../../../src-shared/errors/app-error.js';

const osRelease = (name: string) => parseOsRelease(readFileSync(new URL(`../../fixtures/os-release/${name}`, import.meta.url), 'utf8'));

function dockerfile(input: Partial<RecipeInput> & { source: RecipeInput['source'] }, os?: string): string {
  // Trusted Boot needs UKI artifacts the schema checks for; the generator is tested on its own.
  const { trustedBoot, ...rest } = input;
  const parsed = RecipeSchema.parse({ name: 'demo', version: 'v1.0.0', ...rest });
  const recipe = trustedBoot ? { ...parsed, trustedBoot: { enabled: Boolean(trustedBoot.enabled), enroll: 'manual' as const } } : parsed;
  return generateDockerfile({ recipe, appVersion: '0.1.0', ...(os ? { osRelease: osRelease(os) } : {}) }) ?? '';
}

const snapshot = (name: string) => `./__snapshots__/${name}.Dockerfile`;

describe('scratch method', () => {
  it('Debian 12, framework none (the test recipe)', async () => {
    const text = dockerfile({ source: { baseImage: 'debian:bookworm' }, kairosify: { method: 'scratch', framework: 'none' } }, 'debian-12');
    expect(text).not.toContain('COPY --from');
    expect(text).toContain('dracut -f /boot/initrd "$kver"');
    expect(text).toContain('add_dracutmodules+=" livenet dmsquash-live network network-legacy "');
    await expect(text).toMatchFileSnapshot(snapshot('scratch-debian-12-none'));
  });

  it('Debian 12 with the Kairos framework', async () => {
    const text = dockerfile({ source: { baseImage: 'debian:bookworm' }, kairosify: { method: 'scratch', framework: 'quay.io/kairos/framework:v2.18.3' } }, 'debian-12');
    expect(text).toContain('COPY --from=quay.io/kairos/framework:v2.18.3 / /');
    expect(text).toContain('immucore');
    expect(text).toContain('cos-setup-reconcile.timer');
    await expect(text).toMatchFileSnapshot(snapshot('scratch-debian-12-framework'));
  });

  it('Ubuntu 24.04 picks the HWE kernel and writes its release keys', async () => {
    const text = dockerfile({ source: { baseImage: 'ubuntu:24.04' }, kairosify: { method: 'scratch', framework: 'none' } }, 'ubuntu-24.04');
    expect(text).toContain('linux-image-generic-hwe-24.04');
    expect(text).toContain('KAIROS_FLAVOR="ubuntu"');
    expect(text).toContain('KAIROS_FLAVOR_RELEASE="24.04"');
    expect(text).toContain('KAIROS_FAMILY="debian"');
    await expect(text).toMatchFileSnapshot(snapshot('scratch-ubuntu-24.04-none'));
  });

  it('Trusted Boot: systemd-boot, no grub and no initrd', async () => {
    const text = dockerfile({ source: { baseImage: 'debian:bookworm' }, kairosify: { method: 'scratch', framework: 'none' }, trustedBoot: { enabled: true } }, 'debian-12');
    expect(text).toContain('systemd-boot');
    expect(text).not.toMatch(/grub|dracut -f/);
    expect(text).toContain('KAIROS_TRUSTED_BOOT="true"');
    await expect(text).toMatchFileSnapshot(snapshot('scratch-debian-12-trusted'));
  });

  it('writes every kairos-release key', () => {
    const text = dockerfile({ source: { baseImage: 'debian:bookworm' }, kairosify: { method: 'scratch', framework: 'none' } }, 'debian-12');
    for (const key of ['KAIROS_ID', 'KAIROS_ID_LIKE', 'KAIROS_NAME', 'KAIROS_VERSION', 'KAIROS_ARCH', 'KAIROS_TARGETARCH', 'KAIROS_FLAVOR', 'KAIROS_FLAVOR_RELEASE', 'KAIROS_FAMILY', 'KAIROS_MODEL', 'KAIROS_VARIANT', 'KAIROS_BUG_REPORT_URL', 'KAIROS_HOME_URL', 'KAIROS_RELEASE', 'KAIROS_FIPS', 'KAIROS_TRUSTED_BOOT', 'KAIROS_INIT_VERSION']) {
      expect(text).toMatch(new RegExp(`'${key}="[^"]+"'`));
    }
    expect(text).toContain('KAIROS_NAME="kairos-core-debian-12"');
  });

  it('cleans what must differ per machine', () => {
    const text = dockerfile({ source: { baseImage: 'debian:bookworm' }, kairosify: { method: 'scratch', framework: 'none' } }, 'debian-12');
    expect(text).toContain('rm -f /etc/ssh/ssh_host_*');
    expect(text).toContain(': > /etc/machine-id');
    expect(text).toContain('ln -sf "vmlinuz-$kver" /boot/vmlinuz');
  });

  it('refuses an unsupported family with a clear error', () => {
    let error: unknown;
    try {
      dockerfile({ source: { baseImage: 'archlinux' }, kairosify: { method: 'scratch', framework: 'none' } }, 'arch');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('unsupported-family');
    expect((error as AppError).message).toContain('Arch Linux');
  });
});

describe('kairos-init method', () => {
  it('v0.17.3 standard k3s: install, init and validate as separate steps', async () => {
    const text = dockerfile({
      source: { baseImage: 'ubuntu:24.04' },
      variant: 'standard',
      provider: { name: 'k3s', version: 'v1.32.0+k3s1' },
      kairosify: { method: 'kairos-init', kairosInitVersion: 'v0.17.3' },
    });
    const runs = text.split('\n').filter((l) => l.startsWith('RUN '));
    expect(runs).toEqual([
      'RUN /kairos-init -l info -s install -m generic -p k3s --provider-k3s-version v1.32.0+k3s1 -t false --version v1.0.0',
      'RUN /kairos-init -l info -s init -m generic -p k3s --provider-k3s-version v1.32.0+k3s1 -t false --version v1.0.0',
      'RUN /kairos-init validate -t false',
      'RUN rm /kairos-init',
    ]);
    expect(text).toContain('FROM quay.io/kairos/kairos-init:v0.17.3 AS kairos-init');
    await expect(text).toMatchFileSnapshot(snapshot('kairos-init-v0.17.3-ubuntu-k3s'));
  });

  it('v0.5.8 core with FIPS', async () => {
    const text = dockerfile({ source: { baseImage: 'debian:bookworm' }, fips: true, kairosify: { method: 'kairos-init', kairosInitVersion: 'v0.5.8' } });
    expect(text).toContain('RUN /kairos-init -l info -s install -m generic -t false --version v1.0.0 --fips');
    await expect(text).toMatchFileSnapshot(snapshot('kairos-init-v0.5.8-debian-fips'));
  });

  it('v0.2.4 (go flags) on arm64 for a Raspberry Pi 4', async () => {
    const text = dockerfile({ source: { baseImage: 'ubuntu:22.04' }, model: 'rpi4', arch: 'arm64', kairosify: { method: 'kairos-init', kairosInitVersion: 'v0.2.4' } });
    expect(text).toContain('FROM --platform=linux/arm64 ubuntu:22.04');
    expect(text).toContain('RUN /kairos-init -l info -s install -m rpi4 -v core -t false -f v2.18.3');
    expect(text).toContain('RUN /kairos-init --validate -t false');
    await expect(text).toMatchFileSnapshot(snapshot('kairos-init-v0.2.4-ubuntu-rpi4'));
  });
});
