// Every image a recipe's build uses, with where it comes from: the plan before a build, the offline
// kit and `--offline` read this one list, so what a kit carries is what a build needs.
import type { Recipe } from '../recipe/recipe-schema.js';
import { hasFramework } from '../recipe/has-framework.js';
import { imageTagFor, sourceImageRef } from '../kairosify/dockerfile-common.js';
import { mergeTemplateValues, renderGoTemplate, type TemplateValue } from '../kairosify/go-template.js';

/**
 * base: the distribution or Kairos image the recipe starts from; from: an image a source
 * Dockerfile names; source: the local image a Dockerfile source or a root filesystem becomes;
 * kairos-init / framework: the Kairos tools the kairosify Dockerfile copies from; kairosified: the
 * recipe's own image (stage 1's product); builder-base / builder: the app's artifact builder.
 */
export type ImageRole = 'base' | 'from' | 'source' | 'kairos-init' | 'framework' | 'kairosified' | 'builder-base' | 'builder';

/** pull: from a registry; build: made by the build from the others (a build may need packages); import: from the recipe's root filesystem. */
export type ImageOrigin = 'pull' | 'build' | 'import';

export interface RequiredImage {
  readonly role: ImageRole;
  readonly ref: string;
  readonly origin: ImageOrigin;
  /** One sentence: what the build does with it. */
  readonly why: string;
}

export interface RequiredImagesOptions {
  /** The builder's base image (KF_BUILDER_BASE or debian:bookworm). */
  readonly builderBase: string;
  /** The builder image's tag when known (it carries a hash of its Dockerfile and base). */
  readonly builderTag?: string;
  /** source.valuesFile's values, when the caller has read them. */
  readonly fileValues?: Readonly<Record<string, TemplateValue>>;
}

export function requiredImages(recipe: Recipe, options: RequiredImagesOptions): RequiredImage[] {
  const list: RequiredImage[] = [];
  const add = (image: RequiredImage): void => {
    if (!list.some((i) => i.ref === image.ref)) list.push(image);
  };
  const source = recipe.source;
  switch (source.kind) {
    case 'image':
      add({ role: 'base', ref: source.baseImage, origin: 'pull', why: recipe.kairosify.method === 'none' ? 'the Kairos image used as it is' : 'the base the recipe is kairosified from' });
      break;
    case 'dockerfile': {
      let rendered: string | undefined;
      try {
        rendered = renderGoTemplate(source.dockerfile, mergeTemplateValues(options.fileValues, source.values));
      } catch {
        rendered = undefined; // the preflight names a broken template; its images are unknown until then
      }
      for (const ref of rendered ? imagesInDockerfile(rendered) : []) add({ role: 'from', ref, origin: 'pull', why: 'named by the source Dockerfile' });
      add({ role: 'source', ref: sourceImageRef(recipe), origin: 'build', why: 'the source Dockerfile, built' });
      break;
    }
    case 'rootfs':
      add({ role: 'source', ref: sourceImageRef(recipe), origin: 'import', why: `the root filesystem ${source.path}, imported` });
      break;
  }
  const k = recipe.kairosify;
  if (k.method === 'kairos-init') add({ role: 'kairos-init', ref: `${k.kairosInitImage}:${k.kairosInitVersion}`, origin: 'pull', why: 'the kairos-init tool the kairosify Dockerfile runs' });
  if (k.method === 'scratch' && hasFramework(recipe)) add({ role: 'framework', ref: k.framework, origin: 'pull', why: 'the Kairos framework files copied into the image' });
  add({ role: 'kairosified', ref: imageTagFor(recipe), origin: 'build', why: "the recipe's image, which every artifact is made from" });
  add({ role: 'builder-base', ref: options.builderBase, origin: 'pull', why: "the base of the app's artifact builder" });
  add({ role: 'builder', ref: options.builderTag ?? 'kairos-factory/builder', origin: 'build', why: 'the artifact builder (xorriso, mksquashfs, grub, mtools…), made from Debian packages' });
  return list;
}

/**
 * The images a Dockerfile pulls: each FROM's image and each COPY --from / RUN --mount from= that is
 * not an earlier stage's name, a stage number or "scratch". Build arguments (${X}) are left as they are.
 */
export function imagesInDockerfile(text: string): string[] {
  const stages = new Set<string>();
  const images: string[] = [];
  const note = (ref: string): void => {
    if (ref === 'scratch' || /^\d+$/.test(ref) || stages.has(ref.toLowerCase()) || images.includes(ref)) return;
    images.push(ref);
  };
  // Continuation lines are joined first: a FROM may be split over lines.
  for (const line of text.replace(/\\\r?\n/g, ' ').split(/\r?\n/)) {
    const from = /^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) {
      note(from[1]!);
      if (from[2]) stages.add(from[2].toLowerCase());
      continue;
    }
    for (const m of line.matchAll(/--(?:from|mount=[^\s]*?from)=([^\s,]+)/gi)) note(m[1]!);
  }
  return images;
}
