// Helpers shared by the integration tests.
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import Docker from 'dockerode';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));

export interface IntegrationEnv {
  /** Why a capability is missing, or undefined when it is there. */
  readonly missing: Readonly<Record<string, string | undefined>>;
  readonly outputDir: string;
  /** The example ISO, built once by global-setup through the CLI. */
  readonly iso?: string;
  readonly buildLog: string;
}

/** Runs the CLI as a user would (bin/kairos-factory.js), never throwing on a non-zero exit. */
export interface CliResult {
  readonly exitCode: number | undefined;
  /** stdout and stderr interleaved, as a user sees them. */
  readonly all: string;
}

export async function cli(args: ReadonlyArray<string>, env: Record<string, string> = {}): Promise<CliResult> {
  const result = await execa('node', ['bin/kairos-factory.js', ...args], { cwd: REPO, reject: false, all: true, env, stdin: 'ignore' });
  return { exitCode: result.exitCode, all: result.all };
}

export async function containerIds(): Promise<string[]> {
  const docker = new Docker();
  return (await docker.listContainers({ all: true })).map((c) => c.Id).sort();
}

/** The skip reason for a test needing these capabilities, printed so a skip is never silent. */
export function skipReason(env: IntegrationEnv, ...needs: string[]): string | undefined {
  const reasons = needs.map((n) => env.missing[n]).filter((r): r is string => r !== undefined);
  if (reasons.length === 0) return undefined;
  const reason = reasons.join('; ');
  console.warn(`[integration] skipped: ${reason}`);
  return reason;
}

/** The Docker build steps of a recipe's Dockerfile as the CLI prints it: instruction count, and the
 *  1-based step whose text contains `marker` (so tests follow the recipe, not a hard-coded count). */
export async function dockerfileSteps(recipe: string, marker?: string): Promise<{ total: number; step: number | undefined }> {
  const result = await cli(['dockerfile', recipe]);
  if (result.exitCode !== 0) throw new Error(`kairos-factory dockerfile ${recipe} failed:\n${result.all}`);
  const instructions: string[] = [];
  let continued = false;
  for (const line of result.all.split('\n')) {
    if (continued) instructions[instructions.length - 1] += `\n${line}`;
    else if (/^[A-Z]+\s/.test(line)) instructions.push(line);
    continued = instructions.length > 0 && /\\\s*$/.test(line);
  }
  const index = marker === undefined ? -1 : instructions.findIndex((text) => text.includes(marker));
  return { total: instructions.length, step: index < 0 ? undefined : index + 1 };
}
