// What the app keeps between runs, in one folder: settings.json, recipes/<name>.yaml,
// history.json and jobs/<jobId>.log (the newest 2 MiB of each recorded job's log). Writes go to a
// temp file renamed over the old one, so a crash never leaves a half-written file.
import { chmod, mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { JobSummary, SavedRecipe, Settings } from '../../src-shared/api/contract.js';
import { AppError } from '../../src-shared/errors/app-error.js';
import type { Recipe } from '../../src-shared/recipe/recipe-schema.js';

const HISTORY_LIMIT = 50;

export { defaultDataDir } from './data-dir.js';

export function defaultSettings(): Settings {
  return {
    outputRoot: join(homedir(), 'kairos-factory'),
    theme: 'system',
    verifyAfterFlash: true,
    showVirtualTargets: false,
    offline: false,
    engine: 'automatic',
  };
}

/** Numbers the temp files: two writes of one file at once must not share (and rename away) one. */
let tempCounter = 0;

/** Saved recipes and their folder: private to the user (they hold passwords). */
export const RECIPE_FILE_MODE = 0o600;
export const RECIPES_DIR_MODE = 0o700;
/** The history holds recipe snapshots (password hashes) and logs: private likewise. */
export const HISTORY_FILE_MODE = 0o600;

/** A job id safe as a file name: no dots, no slashes (ids come from requests). */
const SAFE_JOB_ID = /^[\w-]{1,100}$/;

async function writeAtomic(path: string, content: string, mode = 0o644): Promise<void> {
  const temp = `${path}.${process.pid}.${tempCounter++}.tmp`;
  // chmod makes the mode exact whatever the umask, before the rename replaces the old file (and
  // its mode) whole.
  await writeFile(temp, content, { mode });
  await chmod(temp, mode);
  await rename(temp, path);
}

export class AppStore {
  /** History writes one after the other: two jobs ending at once must not lose one. */
  private historyQueue: Promise<void> = Promise.resolve();
  /** Settings changes likewise: each applies on top of the one before. */
  private settingsQueue: Promise<unknown> = Promise.resolve();

  constructor(readonly dir: string) {}

  private path(...parts: string[]): string {
    return join(this.dir, ...parts);
  }

  async settings(): Promise<Settings> {
    try {
      const saved = JSON.parse(await readFile(this.path('settings.json'), 'utf8')) as Partial<Settings>;
      return { ...defaultSettings(), ...saved };
    } catch {
      return defaultSettings();
    }
  }

  updateSettings(change: Partial<Settings>): Promise<Settings> {
    const write = async (): Promise<Settings> => {
      const next = { ...(await this.settings()), ...change };
      await mkdir(this.dir, { recursive: true });
      await writeAtomic(this.path('settings.json'), `${JSON.stringify(next, null, 2)}\n`);
      return next;
    };
    const result = this.settingsQueue.then(write, write);
    this.settingsQueue = result;
    return result;
  }

  async listRecipes(): Promise<SavedRecipe[]> {
    const dir = this.path('recipes');
    const names = await readdir(dir).catch(() => [] as string[]);
    const out: SavedRecipe[] = [];
    for (const file of names.filter((n) => n.endsWith('.yaml'))) {
      const info = await stat(join(dir, file));
      out.push({ name: file.slice(0, -'.yaml'.length), savedAt: info.mtime.toISOString() });
    }
    return out.sort((a, b) => b.savedAt.localeCompare(a.savedAt));
  }

  async saveRecipe(recipe: Recipe): Promise<SavedRecipe> {
    // Recipes hold passwords (the cloud-config): only their owner may read them, also when the
    // folder or the file was made by an older version with the usual modes.
    const dir = this.path('recipes');
    await mkdir(dir, { recursive: true, mode: RECIPES_DIR_MODE });
    await chmod(dir, RECIPES_DIR_MODE);
    const { recipeToYaml } = await import('../../src-shared/recipe/parse-recipe.js');
    await writeAtomic(this.path('recipes', `${recipe.name}.yaml`), recipeToYaml(recipe), RECIPE_FILE_MODE);
    return { name: recipe.name, savedAt: new Date().toISOString() };
  }

  async loadRecipe(name: string): Promise<Recipe> {
    let text: string;
    try {
      text = await readFile(this.path('recipes', `${name}.yaml`), 'utf8');
    } catch {
      throw new AppError('bad-request', `No saved recipe named ${name}`);
    }
    const { parseRecipeYaml } = await import('../../src-shared/recipe/parse-recipe.js');
    const parsed = parseRecipeYaml(text);
    if (!parsed.ok) {
      throw new AppError('recipe-invalid', `The saved recipe ${name} is not valid any more: ${parsed.issues[0]?.path} ${parsed.issues[0]?.message}`);
    }
    return parsed.recipe;
  }

  async deleteRecipe(name: string): Promise<void> {
    await rm(this.path('recipes', `${name}.yaml`), { force: true });
  }

  private logPath(jobId: string): string | undefined {
    return SAFE_JOB_ID.test(jobId) ? this.path('jobs', `${jobId}.log`) : undefined;
  }

  /** Writes a job's kept log whole (it is rewritten as the job logs, never appended to). */
  async saveJobLog(jobId: string, text: string): Promise<void> {
    const path = this.logPath(jobId);
    if (!path) throw new AppError('bad-request', `Not a job id: ${jobId}`);
    await mkdir(this.path('jobs'), { recursive: true, mode: RECIPES_DIR_MODE });
    await writeAtomic(path, text, HISTORY_FILE_MODE);
  }

  /** A recorded job's kept log, or undefined when there is none (an older version's job, a failed write). */
  async jobLog(jobId: string): Promise<string | undefined> {
    const path = this.logPath(jobId);
    return path ? readFile(path, 'utf8').catch(() => undefined) : undefined;
  }

  async history(): Promise<JobSummary[]> {
    try {
      return JSON.parse(await readFile(this.path('history.json'), 'utf8')) as JobSummary[];
    } catch {
      return [];
    }
  }

  /** Resolves once the history writes queued so far are done (app quit), whether they worked or not. */
  historyWritten(): Promise<void> {
    return this.historyQueue.catch(() => undefined);
  }

  /** Adds or replaces a job in the history, newest first, keeping the last HISTORY_LIMIT. */
  recordJob(summary: JobSummary): Promise<void> {
    const write = async (): Promise<void> => {
      const list = (await this.history()).filter((j) => j.jobId !== summary.jobId);
      list.unshift(summary);
      await mkdir(this.dir, { recursive: true });
      await writeAtomic(this.path('history.json'), `${JSON.stringify(list.slice(0, HISTORY_LIMIT), null, 2)}\n`, HISTORY_FILE_MODE);
      // The logs of jobs that left the history go with them.
      for (const gone of list.slice(HISTORY_LIMIT)) {
        const path = this.logPath(gone.jobId);
        if (path) await rm(path, { force: true });
      }
    };
    this.historyQueue = this.historyQueue.then(write, write);
    return this.historyQueue;
  }
}
