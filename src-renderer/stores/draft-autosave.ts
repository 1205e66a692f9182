// Autosave of the wizard's draft, so a reload of the page or a restart of the app loses nothing.
//
// It lives in the renderer's localStorage, not in the engine's data folder, because a draft belongs
// to the window that edits it: the web shell's browser tests (and two people on one engine) each get
// their own, and a fresh browser profile starts clean instead of inheriting someone's half-typed
// recipe. Electron keeps localStorage in its profile folder, so the draft survives a restart of the
// app; the web shell keeps it per address (the same host and port find it again). The draft holds
// no password in clear (the Cloud-config step stores a crypt hash), the same as a saved recipe.
import type { Draft } from './recipe-store.js';

export const DRAFT_KEY = 'kf_draft';

/** What is kept: the draft, when, whether it had unsaved changes, and the saved recipe it came from. */
export interface StoredDraft {
  readonly draft: Draft;
  readonly savedAt: string;
  readonly unsaved: boolean;
  readonly savedName?: string;
}

/** The stored draft, or undefined when there is none or it is not one (an older or broken value). */
export function readStoredDraft(text: string | null): StoredDraft | undefined {
  if (text === null) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { draft, savedAt, unsaved, savedName } = value as Record<string, unknown>;
  if (typeof draft !== 'object' || draft === null || Array.isArray(draft)) return undefined;
  if (typeof savedAt !== 'string' || typeof unsaved !== 'boolean') return undefined;
  return { draft: draft as Draft, savedAt, unsaved, ...(typeof savedName === 'string' ? { savedName } : {}) };
}

/** Storage the draft goes to (window.localStorage; a Map-backed one in tests). */
export type DraftStorage = Pick<Storage, 'getItem' | 'setItem'>;

/**
 * Writes the draft `delay` ms after the last change (typing writes once it pauses), and at once
 * when the page is hidden or closed. Returns the function that writes now.
 */
export function makeAutosave(
  storage: DraftStorage,
  current: () => StoredDraft | undefined,
  onError: (message: string) => void,
  delay = 400,
): { readonly changed: () => void; readonly flush: () => void } {
  let warned = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const value = current();
    if (!value) return;
    try {
      storage.setItem(DRAFT_KEY, JSON.stringify(value));
    } catch {
      // Storage full or denied (private mode): the draft still lives in this window. Said once.
      if (!warned) onError('Your draft cannot be autosaved in this browser (its storage is full or turned off). Save the recipe on the Review step to keep it.');
      warned = true;
    }
  };
  return {
    changed: () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(flush, delay);
    },
    flush,
  };
}
