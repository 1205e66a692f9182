import { afterEach, describe, expect, it, vi } from 'vitest';
import { DRAFT_KEY, makeAutosave, readStoredDraft, type DraftStorage, type StoredDraft } from '../../../src-renderer/stores/draft-autosave.js';
import { defaultDraft, hasUnsavedChanges, useRecipeStore } from '../../../src-renderer/stores/recipe-store.js';

function memory(): DraftStorage & { readonly map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v) };
}

const stored = (name: string): StoredDraft => ({ draft: { ...defaultDraft(), name }, savedAt: '2026-12-03T10:00:00.000Z', unsaved: true });

afterEach(() => {
  vi.useRealTimers();
  useRecipeStore.getState().replace(defaultDraft());
});

describe('readStoredDraft', () => {
  it('reads back what the autosave wrote', () => {
    const value = { ...stored('mine'), savedName: 'mine' };
    expect(readStoredDraft(JSON.stringify(value))).toEqual(value);
  });

  it('ignores nothing, broken JSON and values that are not a stored draft', () => {
    expect(readStoredDraft(null)).toBeUndefined();
    expect(readStoredDraft('{"draft":')).toBeUndefined();
    expect(readStoredDraft('"text"')).toBeUndefined();
    expect(readStoredDraft(JSON.stringify({ draft: [], savedAt: 'x', unsaved: true }))).toBeUndefined();
    expect(readStoredDraft(JSON.stringify({ draft: {}, unsaved: true }))).toBeUndefined();
  });
});

describe('makeAutosave', () => {
  it('writes once typing pauses, the last value only', () => {
    vi.useFakeTimers();
    const storage = memory();
    let value = stored('a');
    const autosave = makeAutosave(storage, () => value, () => undefined, 400);
    autosave.changed();
    value = stored('ab');
    autosave.changed();
    vi.advanceTimersByTime(399);
    expect(storage.map.has(DRAFT_KEY)).toBe(false);
    vi.advanceTimersByTime(1);
    expect(readStoredDraft(storage.map.get(DRAFT_KEY) ?? null)?.draft.name).toBe('ab');
  });

  it('says once that it cannot save when the storage refuses', () => {
    const errors: string[] = [];
    const refusing: DraftStorage = {
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    const autosave = makeAutosave(refusing, () => stored('a'), (m) => errors.push(m));
    autosave.flush();
    autosave.flush();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/cannot be autosaved.*Save the recipe/);
  });
});

describe('unsaved changes of the draft', () => {
  it('a new draft has none, an edit has, a save clears them', () => {
    const store = useRecipeStore.getState();
    store.replace(defaultDraft());
    expect(hasUnsavedChanges(useRecipeStore.getState())).toBe(false);
    store.patch({ name: 'edited' });
    expect(hasUnsavedChanges(useRecipeStore.getState())).toBe(true);
    store.markSaved('edited-2');
    expect(useRecipeStore.getState().draft.name).toBe('edited-2');
    expect(useRecipeStore.getState().savedName).toBe('edited-2');
    expect(hasUnsavedChanges(useRecipeStore.getState())).toBe(false);
  });

  it('a restored draft that was unsaved stays unsaved until it is saved', () => {
    useRecipeStore.getState().restore(defaultDraft(), true);
    expect(hasUnsavedChanges(useRecipeStore.getState())).toBe(true);
    useRecipeStore.getState().restore(defaultDraft(), false, 'kept');
    expect(hasUnsavedChanges(useRecipeStore.getState())).toBe(false);
  });
});
