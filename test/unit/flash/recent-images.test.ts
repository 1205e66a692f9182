import { describe, expect, it } from 'vitest';
import type { JobSummary } from '../../../src-shared/api/contract.js';
import { recentImages } from '../../../src-shared/flash/recent-images.js';

const art = (kind: string, path: string, size = 100) => ({ kind, path, size, sha256: 'x' });
const job = (id: string, finishedAt: string, state: JobSummary['state'], artifacts: ReturnType<typeof art>[], kind: JobSummary['kind'] = 'build'): JobSummary => ({
  jobId: id,
  kind,
  title: `Build ${id}`,
  startedAt: finishedAt,
  finishedAt,
  state,
  result: { artifacts, seconds: 1 },
});

describe('recentImages', () => {
  it('offers the whole-drive images of ended jobs, newest first, each path once', () => {
    const list = recentImages([
      job('old', '2026-01-01T00:00:00Z', 'done', [art('iso', '/out/a.iso'), art('raw-efi', '/out/a.raw')]),
      job('new', '2026-02-01T00:00:00Z', 'done', [art('netboot', '/out/b-netboot'), art('rpi', '/out/b.img', 7), art('iso', '/out/a.iso')]),
      job('failed', '2026-03-01T00:00:00Z', 'failed', [art('iso', '/out/c.iso')]),
      job('swap', '2026-01-15T00:00:00Z', 'done', [art('iso', '/out/swapped.iso')], 'iso-config'),
    ]);
    expect(list.map((i) => i.path)).toEqual(['/out/b.img', '/out/a.iso', '/out/swapped.iso', '/out/a.raw']);
    expect(list[0]).toMatchObject({ kind: 'rpi', size: 7, from: 'Build new', finishedAt: '2026-02-01T00:00:00Z' });
  });

  it('stops at the limit and is empty with nothing built', () => {
    const many = Array.from({ length: 5 }, (_, i) => job(`j${i}`, `2026-01-0${i + 1}T00:00:00Z`, 'done', [art('iso', `/out/${i}.iso`)]));
    expect(recentImages(many, 2).map((i) => i.path)).toEqual(['/out/4.iso', '/out/3.iso']);
    expect(recentImages([])).toEqual([]);
  });
});
