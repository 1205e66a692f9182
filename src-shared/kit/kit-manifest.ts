// The offline kit's manifest and the rules read from it: which images a kit carries for a recipe,
// which an offline build needs on the engine, and whether a kit's members are what its manifest
// says. Pure: the engine (src-main/kit) writes and reads the file.
import { z } from 'zod';
import type { Recipe } from '../recipe/recipe-schema.js';
import { requiredImages, type ImageRole, type RequiredImage, type RequiredImagesOptions } from '../plan/required-images.js';

/** Bumped when a reader of an older version could not read the kit right. */
export const KIT_VERSION = 1;
/** One `docker save` stream of every image (layers shared between images are stored once). */
export const KIT_IMAGES_MEMBER = 'images.tar';
/** Last in the file: it holds the SHA-256 of every member before it. */
export const KIT_MANIFEST_MEMBER = 'manifest.json';

export const KitManifestSchema = z.object({
  kitVersion: z.literal(KIT_VERSION),
  created: z.string(),
  appVersion: z.string(),
  recipes: z.array(z.string()),
  images: z.array(z.object({ ref: z.string(), id: z.string(), size: z.number().nonnegative(), role: z.string() })),
  /** Member name -> SHA-256 (hex) of its content. */
  members: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
});
export type KitManifest = z.infer<typeof KitManifestSchema>;

export const recipeMember = (name: string): string => `recipes/${name}.yaml`;

/**
 * What a kit brings for a recipe: its kairosified image (everything after kairosify then builds
 * offline), the kairos-init or framework image its Dockerfile copies from (to kairosify again
 * offline once the packages are at hand), and the artifact builder with its base (the builder's
 * tag is computed from its base's id).
 */
const KIT_ROLES: ReadonlySet<ImageRole> = new Set(['kairosified', 'kairos-init', 'framework', 'builder']);
export function kitImages(recipe: Recipe, options: RequiredImagesOptions): RequiredImage[] {
  return requiredImages(recipe, options).filter((i) => KIT_ROLES.has(i.role) || i.ref === options.builderBase);
}

/** What an offline build needs on the engine: the recipe's image, used as it is, and the builder with its base. */
const OFFLINE_ROLES: ReadonlySet<ImageRole> = new Set(['kairosified', 'builder']);
export function offlineImages(recipe: Recipe, options: RequiredImagesOptions): RequiredImage[] {
  return requiredImages(recipe, options).filter((i) => OFFLINE_ROLES.has(i.role) || i.ref === options.builderBase);
}

const ROLE_WORDS: Record<ImageRole, string> = {
  base: 'the base image',
  from: 'an image the source Dockerfile names',
  source: 'the source image',
  'kairos-init': 'the kairos-init tool',
  framework: 'the Kairos framework',
  kairosified: "the recipe's image",
  'builder-base': "the builder's base",
  builder: 'the artifact builder',
};
/** "debian:bookworm (the builder's base)": requiredImages lists a ref once, under its first role; the builder's base is what an offline build needs it for. */
function describe(image: RequiredImage, builderBase: string): string {
  return `${image.ref} (${image.ref === builderBase ? ROLE_WORDS['builder-base'] : ROLE_WORDS[image.role]})`;
}

/** The one line an offline build fails with: what is missing, and the kit that brings it. */
export function offlineMissingLine(recipe: Recipe, missing: ReadonlyArray<RequiredImage>, builderBase: string): string {
  const list = missing.map((i) => describe(i, builderBase)).join(', ');
  const verb = missing.length === 1 ? 'is' : 'are';
  return `Offline build of ${recipe.name}: ${list} ${verb} not on this engine: import an offline kit made with \`kairos-factory kit export ${recipe.name}.yaml\` where the recipe was built (\`kairos-factory kit import FILE\`)`;
}

/** The manifest's text checked; a message saying what is wrong, or the manifest. */
export function parseKitManifest(text: string): { readonly ok: true; readonly manifest: KitManifest } | { readonly ok: false; readonly message: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `${KIT_MANIFEST_MEMBER} is not JSON (${(error as Error).message})` };
  }
  if (value && typeof value === 'object' && 'kitVersion' in value && value.kitVersion !== KIT_VERSION) {
    return { ok: false, message: `the kit is version ${String(value.kitVersion)}; this app reads version ${KIT_VERSION}` };
  }
  const parsed = KitManifestSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, message: `${KIT_MANIFEST_MEMBER}: ${issue?.path.join('.') || 'manifest'}: ${issue?.message ?? 'invalid'}` };
  }
  return { ok: true, manifest: parsed.data };
}

/**
 * The first member that is not as the manifest says (changed, missing, or not listed), in the
 * file's order, or undefined when every one is. `found` maps each member read to its SHA-256.
 */
export function memberProblem(manifest: KitManifest, found: ReadonlyMap<string, string>): string | undefined {
  for (const [name, sha] of found) {
    const expected = manifest.members[name];
    if (expected === undefined) return `member ${name} is not listed in the manifest`;
    if (expected !== sha) return `member ${name} is corrupt: its SHA-256 is ${sha}, the manifest says ${expected}`;
  }
  for (const name of Object.keys(manifest.members)) if (!found.has(name)) return `member ${name} is missing`;
  if (!found.has(KIT_IMAGES_MEMBER)) return `member ${KIT_IMAGES_MEMBER} is missing`;
  return undefined;
}
