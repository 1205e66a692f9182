// The Trusted Boot keys folder, as AuroraBoot's genkey writes it: one definition of what it holds
// and what a build needs of it, read by the keys check (the wizard, as soon as a folder is picked)
// and by the build that copies and signs with it, so the two never disagree.

export const KEY_NAMES = ['PK', 'KEK', 'db'] as const;

/** Every file genkey writes (plus .crt, another common name of a certificate): what is copied from a user's folder. */
export const KEY_FOLDER_FILES: ReadonlyArray<string> = [
  ...KEY_NAMES.flatMap((k) => ['key', 'pem', 'crt', 'der', 'esl', 'auth'].map((ext) => `${k}.${ext}`)),
  'tpm2-pcr-private.pem',
];

export type KeyFileKind = 'certificate' | 'private-key' | 'auth';

export interface KeyFileRule {
  /** How the file is named to the user when it is missing. */
  readonly label: string;
  /** The names it may have, in order of preference. */
  readonly names: ReadonlyArray<string>;
  readonly kind: KeyFileKind;
  /** The build cannot go without it (the PK and KEK certificates are checked only when present). */
  readonly required: boolean;
  /** A private key that must belong to the certificate of this key name. */
  readonly matches?: (typeof KEY_NAMES)[number];
}

const certificate = (k: (typeof KEY_NAMES)[number], required: boolean): KeyFileRule => ({
  label: `${k}.pem (or ${k}.crt)`,
  names: [`${k}.pem`, `${k}.crt`],
  kind: 'certificate',
  required,
});
const auth = (k: (typeof KEY_NAMES)[number]): KeyFileRule => ({ label: `${k}.auth`, names: [`${k}.auth`], kind: 'auth', required: true });

/** In the order to report them: each key's certificate and enrolment file, the db signing key, the TPM PCR policy key. */
export const KEY_FOLDER_RULES: ReadonlyArray<KeyFileRule> = [
  certificate('PK', false),
  auth('PK'),
  certificate('KEK', false),
  auth('KEK'),
  certificate('db', true),
  auth('db'),
  { label: 'db.key', names: ['db.key'], kind: 'private-key', required: true, matches: 'db' },
  { label: 'tpm2-pcr-private.pem', names: ['tpm2-pcr-private.pem'], kind: 'private-key', required: true },
];

/** The name a rule's file has in a folder holding these names, if any. */
export function presentName(rule: KeyFileRule, present: ReadonlySet<string>): string | undefined {
  return rule.names.find((n) => present.has(n));
}

/** What the build needs and the folder lacks, by label, in report order. */
export function missingKeyFiles(present: Iterable<string>): string[] {
  const has = new Set(present);
  return KEY_FOLDER_RULES.filter((r) => r.required && presentName(r, has) === undefined).map((r) => r.label);
}
