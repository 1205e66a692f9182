import { describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../../src-shared/jobs/job-events.js';
import { endNotice, percentOf, windowTitle } from '../../../src-shared/jobs/window-title.js';

const progress = (done: number, total: number | undefined, unit: ProgressEvent['unit'] = 'bytes'): ProgressEvent => ({
  kind: 'progress',
  jobId: 'j',
  stage: 'flash',
  step: 'write',
  done,
  unit,
  ...(total !== undefined ? { total } : {}),
});

describe('windowTitle', () => {
  it('is the app title when nothing runs', () => {
    expect(windowTitle([])).toBe('Kairos Factory');
  });

  it('shows the first running job and how far it is', () => {
    expect(windowTitle([{ kind: 'flash', progress: progress(42, 100) }])).toBe('42% Flashing · Kairos Factory');
    expect(windowTitle([{ kind: 'build' }])).toBe('Building · Kairos Factory');
    expect(windowTitle([{ kind: 'flash', progress: progress(5, undefined) }, { kind: 'build' }])).toBe('Flashing (+1 more) · Kairos Factory');
  });

  it('reads percent units as they are and clamps', () => {
    expect(percentOf(progress(73.9, undefined, 'percent'))).toBe(73);
    expect(percentOf(progress(120, 100))).toBe(100);
    expect(percentOf(progress(1, 0))).toBeUndefined();
  });
});

describe('endNotice', () => {
  it('says a finished flash is safe to remove, and a failure what went wrong and what to do', () => {
    expect(endNotice({ kind: 'flash', title: 'Flash a.img to /dev/sdb', state: 'done', result: { message: '1 GiB written to /dev/sdb and verified', seconds: 9 } })).toEqual({
      title: 'Flash complete: safe to remove',
      body: '1 GiB written to /dev/sdb and verified',
    });
    expect(endNotice({ kind: 'build', title: 'Build x', state: 'failed', error: { code: 'disk-full', message: 'No space left in /out', hint: 'Free space' } })).toEqual({
      title: 'Build x: failed',
      body: 'No space left in /out. Free space',
    });
    expect(endNotice({ kind: 'build', title: 'Build x', state: 'cancelled' }).title).toBe('Build x: cancelled');
  });
});
