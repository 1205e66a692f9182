// The name a duplicated recipe is saved under: "<name>-copy", then "-copy-2", "-copy-3"… until one
// is free, cut so that it stays a valid recipe name (63 characters at most).

const MAX = 63;

export function copyName(name: string, taken: ReadonlyArray<string>): string {
  const used = new Set(taken);
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? '-copy' : `-copy-${n}`;
    // A cut may end the base on "-" or "."; the suffix starts with "-", which the name rule allows.
    const candidate = `${name.slice(0, MAX - suffix.length)}${suffix}`;
    if (!used.has(candidate)) return candidate;
  }
}
