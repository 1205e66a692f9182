// What every boot test expects of the example image besides userspace: the example recipe's
// cloud-config applied (its hostname on the login prompt, its user able to log in).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { expect } from 'vitest';
import { isCryptHash, passwordMatches } from '../../src-shared/cloud-config/secrets.js';
import { REPO, type CliResult } from './support.js';

/**
 * The identity checks of every boot test: plain images (framework none) apply the recipe's
 * cloud-config through cloud-init, so every boot checks the hostname on the login prompt and logs
 * in as the recipe's user. (A switch, so a run can look at userspace alone while debugging.)
 */
export const EXPECT_RECIPE_IDENTITY = true;

export interface RecipeIdentity {
  /** A regular expression for the whole hostname. */
  readonly hostname: string;
  readonly user: string;
  readonly password: string;
}

/**
 * A cloud-config hostname as a pattern: Go template expressions are what the machine fills in
 * (`{{ trunc 4 .MachineID }}`: 4 hex digits; anything else: one or more name characters).
 */
export function hostnamePattern(template: string): string {
  return template
    .split(/(\{\{.*?\}\})/)
    .map((part, i) => {
      if (i % 2 === 0) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const trunc = /^\{\{-?\s*trunc\s+(\d+)\s+\.MachineID\s*-?\}\}$/.exec(part);
      return trunc ? `[0-9a-f]{${trunc[1]}}` : '[0-9A-Za-z-]+';
    })
    .join('');
}

/**
 * The password the boot tests log in with: the example recipe holds only its SHA-512 crypt hash
 * (no recipe carries a password in clear text), so the tests know it from here.
 */
export const TEST_LOGIN_PASSWORD = 'kf-boot-test';

/** The example recipe's hostname (as a pattern) and first user, read from its cloud-config. */
export async function exampleIdentity(): Promise<RecipeIdentity> {
  const recipe = parse(await readFile(join(REPO, 'examples', 'debian-bookworm.yaml'), 'utf8')) as { cloudConfig: string };
  const config = parse(recipe.cloudConfig) as { hostname: string; users: ReadonlyArray<{ name: string; passwd: string }> };
  const user = config.users[0]!;
  if (isCryptHash(user.passwd) && !passwordMatches(TEST_LOGIN_PASSWORD, user.passwd)) {
    throw new Error(`the example recipe's password hash is not that of the tests' password "${TEST_LOGIN_PASSWORD}"`);
  }
  return { hostname: hostnamePattern(config.hostname), user: user.name, password: isCryptHash(user.passwd) ? TEST_LOGIN_PASSWORD : user.passwd };
}

/** The boot-test options that check the identity, or none while the switch is off. */
export async function identityArgs(): Promise<string[]> {
  if (!EXPECT_RECIPE_IDENTITY) return [];
  const id = await exampleIdentity();
  return ['--expect-hostname', id.hostname, '--login', `${id.user}:${id.password}`];
}

/**
 * A `boot-test` run passed: userspace reached in this mode, and the identity shown when expected.
 * Its time is printed under `label`, for the README's table of boot times.
 */
export async function expectBooted(result: CliResult, mode: 'bios' | 'uefi' | 'netboot', label: string): Promise<void> {
  const line = /^booted \(.*$/m.exec(result.all)?.[0];
  console.log(`[boot] ${label}: ${line ?? 'no verdict'}`);
  expect(result.all).toMatch(new RegExp(`booted \\(${mode}\\): .*(login:|multi-user\\.target)`));
  if (EXPECT_RECIPE_IDENTITY) {
    const id = await exampleIdentity();
    expect(result.all).toMatch(new RegExp(`booted \\(${mode}\\): ${id.hostname} login:; logged in as ${id.user} \\(KF-LOGIN-${id.user}-${id.hostname}\\)`));
  }
  expect(result.exitCode, result.all.slice(-2000)).toBe(0);
}
