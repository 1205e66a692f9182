// Per-card hostnames when several cards are flashed at once: a pattern such as `node-{n}` or
// `pi-{serial}` expanded for each card. Pure, shared by the engine (which applies it) and the
// wizard (which previews it), so the preview is exactly what the cards get.
//
//   {n}       the card's 1-based position in the list of targets
//   {serial}  the drive's serial number, lowercased, characters a hostname cannot hold turned
//             into "-", its last 16 characters; a drive that reports none (loop devices, image
//             files, some card readers) gets "x" and 7 hex digits of a hash of what else names
//             it (its /dev/disk/by-id name, its backing file, else its path): stable for the
//             same drive in the same port, but not printed on the card.
//
// The result must be a hostname Linux accepts: letters, digits and "-" (dots between labels),
// each label 1-63 characters not starting or ending with "-", at most 63 characters in all (the
// kernel keeps 64 bytes). Every card's name must differ from the others'.

export const HOSTNAME_PLACEHOLDERS = ['{n}', '{serial}'] as const;

/** What a card's placeholders are filled from. */
export interface CardFacts {
  /** The target as given (/dev/sdb, an image file). */
  readonly target: string;
  readonly serial?: string;
  readonly byId?: string;
  readonly backingPath?: string;
}

/** A card's facts from the target and the drive's identity (none for an image file). */
export function cardFacts(target: string, identity?: { readonly serial?: string; readonly byId?: string; readonly backingPath?: string }): CardFacts {
  return {
    target,
    ...(identity?.serial ? { serial: identity.serial } : {}),
    ...(identity?.byId ? { byId: identity.byId } : {}),
    ...(identity?.backingPath ? { backingPath: identity.backingPath } : {}),
  };
}

export type NamesResult = { readonly ok: true; readonly names: ReadonlyArray<string> } | { readonly ok: false; readonly message: string };

const MAX_HOSTNAME = 63;
const SERIAL_CHARS = 16;

/** FNV-1a, 32 bits: a stable short tag without node:crypto (this module also runs in the renderer). */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** A drive's `{serial}`: its serial made hostname-safe, or a stable tag when it has none. */
export function serialTag(card: CardFacts): string {
  const cleaned = (card.serial ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (cleaned !== '') return cleaned.slice(-SERIAL_CHARS).replace(/^-+/, '');
  return `x${fnv1a(card.byId ?? card.backingPath ?? card.target).slice(0, 7)}`;
}

/**
 * Why a pattern cannot make hostnames (`option` names the field, e.g. "--hostname"), or undefined.
 * Checks the literal text; the expanded names are checked again by expandHostnames.
 */
export function hostnamePatternProblem(pattern: string, option: string): string | undefined {
  if (pattern.trim() === '') return `${option} is empty: give a hostname pattern such as node-{n}`;
  const unknown = /\{[^}]*\}?/g;
  for (const match of pattern.matchAll(unknown)) {
    if (!(HOSTNAME_PLACEHOLDERS as ReadonlyArray<string>).includes(match[0])) {
      return `${option} "${pattern}": ${match[0]} is not a placeholder; use ${HOSTNAME_PLACEHOLDERS.join(' or ')}`;
    }
  }
  const literal = pattern.replace(/\{n\}|\{serial\}/g, '');
  const bad = [...new Set(literal.replace(/[A-Za-z0-9.-]/g, ''))];
  if (bad.length > 0) {
    const shown = bad.map((c) => (c === ' ' ? 'a space' : `"${c}"`)).join(', ');
    return `${option} "${pattern}": ${shown} cannot be in a hostname; use letters, digits and "-" (and {n} or {serial})`;
  }
  return undefined;
}

/** Why one expanded name is not a hostname, or undefined. */
export function hostnameProblem(name: string): string | undefined {
  if (name.length > MAX_HOSTNAME) return `"${name}" is ${name.length} characters long; a hostname has at most ${MAX_HOSTNAME}`;
  for (const label of name.split('.')) {
    if (label === '') return `"${name}" has an empty part between dots`;
    if (!/^[A-Za-z0-9-]+$/.test(label)) return `"${name}" holds characters a hostname cannot`;
    if (label.startsWith('-') || label.endsWith('-')) return `"${name}" has a part that starts or ends with "-"`;
  }
  return undefined;
}

/** The pattern for each card, in order; or why it cannot be used for these cards. */
export function expandHostnames(pattern: string, cards: ReadonlyArray<CardFacts>, option: string): NamesResult {
  const problem = hostnamePatternProblem(pattern, option);
  if (problem) return { ok: false, message: problem };
  if (cards.length > 1 && !/\{n\}|\{serial\}/.test(pattern)) {
    return { ok: false, message: `${option} "${pattern}" would give all ${cards.length} cards the same name: add {n} (the card's number) or {serial}` };
  }
  const names = cards.map((card, i) => pattern.replace(/\{n\}/g, String(i + 1)).replace(/\{serial\}/g, () => serialTag(card)));
  for (const [i, name] of names.entries()) {
    const why = hostnameProblem(name);
    if (why) return { ok: false, message: `${option} "${pattern}" for card ${i + 1} (${cards[i]!.target}): ${why}` };
  }
  const seen = new Map<string, number>();
  for (const [i, name] of names.entries()) {
    const first = seen.get(name.toLowerCase());
    if (first !== undefined) {
      return {
        ok: false,
        message: `${option} "${pattern}" names cards ${first + 1} and ${i + 1} both "${name}"${pattern.includes('{serial}') ? ' (their readers report the same serial)' : ''}: add {n} to tell them apart`,
      };
    }
    seen.set(name.toLowerCase(), i);
  }
  return { ok: true, names };
}
