import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildPlan, type EngineState, type KeysFolderState } from '../../../src-shared/plan/build-plan.js';
import { requiredImages } from '../../../src-shared/plan/required-images.js';
import { imageTagFor } from '../../../src-shared/kairosify/dockerfile-common.js';
import { parseOsRelease } from '../../../src-shared/kairosify/os-release.js';
import { parseRecipeYaml } from '../../../src-shared/recipe/parse-recipe.js';
import type { Recipe } from '../../../src-shared/recipe/recipe-schema.js';

const BUILDER = readFileSync('resources/builder/Dockerfile', 'utf8');
const BUILDER_TAG = 'kairos-factory/builder:0123456789ab';
const DEBIAN_12 = parseOsRelease('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n');

function recipe(yaml: string): Recipe {
  const parsed = parseRecipeYaml(yaml);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.recipe;
}
const example = (): Recipe => recipe(readFileSync('examples/debian-bookworm.yaml', 'utf8'));

/** The plan with these images here (by reference; "kairosified" for the recipe's own image). */
function plan(r: Recipe, here: ReadonlyArray<string>, extra: Partial<EngineState> & { keys?: KeysFolderState; builderBase?: string } = {}) {
  const builderBase = extra.builderBase ?? 'debian:bookworm';
  const images = requiredImages(r, { builderBase, builderTag: BUILDER_TAG });
  const engine: EngineState = { present: new Set(here), kairosified: here.includes('kairosified'), ...extra };
  return buildPlan({ recipe: r, images, engine, builderBase, builderDockerfile: BUILDER, ...(extra.keys ? { keys: extra.keys } : {}) });
}
const states = (p: ReturnType<typeof plan>) => p.images.map((i) => `${i.role} ${i.state}${i.network ? ' network' : ''}`);

describe('buildPlan: images', () => {
  it('nothing here: the base is pulled, the kairosified image and the builder are built, all over the network', () => {
    const p = plan(example(), []);
    expect(states(p)).toEqual(['base pull network', 'kairosified build network', 'builder build network']);
    expect(p.network).toEqual(['pulling debian:bookworm', "the kairosify step's distribution packages", "the builder image's Debian packages"]);
    expect(p.summary).toBe("needs the network for: pulling debian:bookworm; the kairosify step's distribution packages; the builder image's Debian packages");
    expect(p.images[0]!.note).toBe('pulled from docker.io');
  });

  it('everything here: builds offline', () => {
    const r = example();
    const p = plan(r, ['debian:bookworm', 'kairosified', BUILDER_TAG], { osRelease: DEBIAN_12 });
    expect(states(p)).toEqual(['base here', 'kairosified here', 'builder here']);
    expect(p.network).toEqual([]);
    expect(p.summary).toBe('everything is here: builds offline');
    expect(p.packages.every((g) => g.state === 'here' && !g.network)).toBe(true);
    expect(p.images.map((i) => i.ref)).toContain(imageTagFor(r));
  });

  it('the kairosified image here: kairosify inputs are not needed, unless the builder still needs its base', () => {
    const r = recipe('name: a\nversion: v1.0.0\nsource: { baseImage: "ubuntu:24.04" }\nkairosify: { method: scratch }\n');
    const done = plan(r, ['kairosified', BUILDER_TAG]);
    expect(states(done)).toEqual(['base not-needed', 'framework not-needed', 'kairosified here', 'builder-base not-needed', 'builder here']);
    expect(done.summary).toBe('everything is here: builds offline');
    // debian:bookworm is the base and the builder's base: with the builder missing, it is pulled.
    const sameBase = plan(example(), ['kairosified']);
    expect(states(sameBase)).toEqual(['base pull network', 'kairosified here', 'builder build network']);
  });

  it('kairos-init with k3s: its install stage fetches packages and k3s', () => {
    const r = recipe('name: a\nversion: v1.0.0\nsource: { baseImage: "ubuntu:24.04" }\nvariant: standard\nprovider: { name: k3s, version: v1.31.2+k3s1 }\n');
    const p = plan(r, ['ubuntu:24.04', BUILDER_TAG]);
    // The builder is here: its base is not needed.
    expect(states(p)).toEqual(['base here', 'kairos-init pull network', 'kairosified build network', 'builder-base not-needed', 'builder here']);
    expect(p.network).toContain("kairos-init's install stage (distribution packages and k3s)");
    expect(p.packages.filter((g) => g.step === 'kairosify').map((g) => [g.manager, g.names, g.state])).toEqual([
      ['kairos-init', undefined, 'install'],
      ['kairos-init', ['k3s'], 'install'],
    ]);
    expect(p.packages.find((g) => g.names?.[0] === 'k3s')!.what).toBe('k3s v1.31.2+k3s1, from its online installer');
  });

  it('a Dockerfile source: its FROM images are pulled; its build needs the network only when it fetches', () => {
    const fetching = recipe('name: a\nversion: v1.0.0\nsource:\n  kind: dockerfile\n  dockerfile: |\n    FROM fedora:41\n    RUN dnf install -y vim\nkairosify: { method: scratch, framework: none }\n');
    const p = plan(fetching, []);
    expect(states(p).slice(0, 2)).toEqual(['from pull network', 'source build network']);
    expect(p.packages[0]).toEqual({ step: 'source', manager: 'dnf', what: 'installed by your Dockerfile', names: ['vim'], state: 'install', network: true });
    const quiet = recipe('name: a\nversion: v1.0.0\nsource:\n  kind: dockerfile\n  dockerfile: |\n    FROM fedora:41\n    COPY x /x\nkairosify: { method: scratch, framework: none }\n');
    expect(states(plan(quiet, ['fedora:41'])).slice(0, 2)).toEqual(['from here', 'source build']);
    // A values file not read yet: what the template fetches is unknown, so the network is counted.
    const unread = recipe('name: a\nversion: v1.0.0\nsource:\n  kind: dockerfile\n  dockerfile: "FROM {{ .Base }}"\n  valuesFile: values.yaml\nkairosify: { method: scratch, framework: none }\n');
    expect(plan(unread, []).images.find((i) => i.role === 'source')).toMatchObject({ network: true, note: expect.stringContaining('may fetch') });
  });

  it('a root filesystem is imported without the network; method none only tags the image', () => {
    const rootfs = recipe('name: a\nversion: v1.0.0\nsource: { kind: rootfs, path: /srv/root }\nkairosify: { method: scratch, framework: none }\n');
    expect(states(plan(rootfs, [BUILDER_TAG])).slice(0, 2)).toEqual(['source import', 'kairosified build network']);
    const none = recipe('name: a\nversion: v1.0.0\nsource: { baseImage: "quay.io/kairos/debian:bookworm-core-amd64-generic-v3.2.1" }\nkairosify: { method: none }\n');
    const p = plan(none, ['quay.io/kairos/debian:bookworm-core-amd64-generic-v3.2.1', BUILDER_TAG]);
    expect(states(p)).toEqual(['base here', 'kairosified build', 'builder-base not-needed', 'builder here']);
    expect(p.summary).toBe('everything is here: builds offline');
    expect(p.images.find((i) => i.role === 'kairosified')!.note).toBe('tagged from the base image (method none)');
    expect(p.packages.filter((g) => g.step === 'kairosify')).toEqual([]);
  });
});

describe('buildPlan: packages of the scratch method', () => {
  it("are unknown until the base image's os-release is read", () => {
    const p = plan(example(), []);
    expect(p.packages.filter((g) => g.step === 'kairosify')).toEqual([
      { step: 'kairosify', what: "the distribution's packages, chosen by debian:bookworm's /etc/os-release once it is here", state: 'install', network: true },
    ]);
  });

  it("follow the distribution, the arch, the model and the cloud-config's device settings", () => {
    const debian = plan(example(), ['debian:bookworm'], { osRelease: DEBIAN_12 }).packages.filter((g) => g.step === 'kairosify');
    expect(debian.map((g) => g.what)).toEqual([
      'Debian GNU/Linux 12 (bookworm): base system',
      'kernel',
      'bootloader and initramfs tools',
      'cloud-init (no Kairos framework: it applies the cloud-config)',
    ]);
    expect(debian.every((g) => g.manager === 'apt' && g.state === 'install' && g.network)).toBe(true);
    expect(debian[1]!.names).toEqual(['linux-image-amd64', 'firmware-linux-free']);
    expect(debian[0]!.names).not.toContain('cloud-init');

    const pi = recipe(readFileSync('examples/debian-bookworm-rpi4.yaml', 'utf8').replace('hostname: kairos-pi', 'hostname: kairos-pi\n  wifi: { ssid: lab, password: secret123, country: DE }'));
    const piGroups = plan(pi, ['kairos-factory/debian-arm64:bookworm'], { osRelease: DEBIAN_12 }).packages.filter((g) => g.step === 'kairosify');
    expect(piGroups.find((g) => g.what === 'kernel')!.names).toEqual(['linux-image-arm64', 'firmware-linux-free', 'u-boot-rpi']);
    expect(piGroups.find((g) => g.what.startsWith('Raspberry Pi firmware'))!.names).toEqual(['raspi-firmware']);

    const alpine = parseOsRelease('ID=alpine\nVERSION_ID=3.21.0\nPRETTY_NAME="Alpine Linux v3.21"\n');
    const a = recipe('name: a\nversion: v1.0.0\nsource: { baseImage: "alpine:3.21" }\nkairosify: { method: scratch }\n');
    expect(plan(a, ['alpine:3.21'], { osRelease: alpine }).packages.find((g) => g.what === 'kernel')).toMatchObject({ manager: 'apk', names: ['linux-lts'] });
  });

  it('a distribution the scratch method does not know installs nothing: the build stops', () => {
    const arch = parseOsRelease('ID=arch\nPRETTY_NAME="Arch Linux"\n');
    const r = recipe('name: a\nversion: v1.0.0\nsource: { baseImage: "archlinux:latest" }\nkairosify: { method: scratch, framework: none }\n');
    expect(plan(r, ['archlinux:latest'], { osRelease: arch }).packages.filter((g) => g.step === 'kairosify')).toEqual([
      { step: 'kairosify', what: 'none: the scratch method does not support Arch Linux, and the build stops there', state: 'not-needed', network: false },
    ]);
  });
});

describe('buildPlan: Trusted Boot keys and the engine', () => {
  const trusted = (keysFolder?: string) =>
    recipe(`name: tb\nversion: v1.0.0\nsource: { baseImage: "debian:bookworm" }\nkairosify: { method: scratch, framework: none }\ntrustedBoot: { enabled: true${keysFolder ? `, keysFolder: ${keysFolder}` : ''} }\nartifacts: [uki]\n`);
  const complete = ['PK.auth', 'KEK.auth', 'db.auth', 'db.pem', 'db.key', 'tpm2-pcr-private.pem'];

  it('generated keys: made on the first build without the network, reused afterwards', () => {
    expect(plan(trusted(), [], { keys: { folder: '/out/tb-keys' } }).keys).toEqual({ kind: 'generated', folder: '/out/tb-keys', exists: false, missing: [], note: expect.stringContaining('generated by the first build, inside the builder (no network)') });
    expect(plan(trusted(), [], { keys: { folder: '/out/tb-keys', files: complete } }).keys).toMatchObject({ exists: true, missing: [], note: 'generated by an earlier build: reused' });
    expect(plan(example(), []).keys).toBeUndefined();
  });

  it("the user's folder: what it lacks is named", () => {
    const p = plan(trusted('/keys'), [], { keys: { folder: '/keys', files: ['PK.auth', 'db.pem'] } });
    expect(p.keys).toMatchObject({ kind: 'user', exists: true, missing: ['KEK.auth', 'db.auth', 'db.key', 'tpm2-pcr-private.pem'] });
    expect(p.keys!.note).toBe('your keys folder lacks KEK.auth, db.auth, db.key, tpm2-pcr-private.pem: the build stops there');
    expect(plan(trusted('/keys'), [], { keys: { folder: '/keys' } }).keys!.note).toBe('your keys folder does not exist: the build stops there');
  });

  it('an engine that could not be asked is said first, and nothing counts as here', () => {
    const p = plan(example(), [], { unreachable: 'No Docker engine answered' });
    expect(p.note).toBe('The Docker engine could not be asked (No Docker engine answered): nothing is counted as here.');
    expect(p.images.every((i) => i.state !== 'here')).toBe(true);
  });
});
