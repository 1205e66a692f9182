// The images the engine built lately, one click from being flashed.
import { useMemo } from 'react';
import { recentImages } from '../../src-shared/flash/recent-images.js';
import { formatBytes } from '../../src-shared/util/format.js';
import { useJobsStore } from '../stores/jobs-store.js';

const baseName = (path: string): string => path.split(/[\\/]/).pop() ?? path;

export function RecentImages({ onPick, limit }: { readonly onPick: (path: string) => void; readonly limit?: number }) {
  const summaries = useJobsStore((s) => s.summaries);
  const images = useMemo(() => recentImages(summaries, limit), [summaries, limit]);
  if (images.length === 0) return null;
  return (
    <section className="recent-images" aria-labelledby="recent-images-title">
      <h3 id="recent-images-title">Recently built</h3>
      <ul>
        {images.map((image) => (
          <li key={image.path}>
            <button type="button" className="secondary" title={image.path} onClick={() => onPick(image.path)}>
              Flash {baseName(image.path)}
            </button>
            <span className="muted">
              {' '}
              {formatBytes(image.size)} · {image.from}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
