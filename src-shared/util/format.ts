// Human units for progress and summaries. Pure.
import type { ProgressEvent } from '../jobs/job-events.js';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ${UNITS[unit]}`;
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** A bar of `width` cells for a fraction 0..1. */
export function bar(fraction: number, width: number): string {
  const f = Math.min(1, Math.max(0, fraction));
  const full = Math.floor(f * width);
  return '█'.repeat(full) + (full < width ? '░'.repeat(width - full) : '');
}

/** "iso  [████░░░░]  45%  1.2 GiB/2.6 GiB  85 MiB/s  ETA 17s" */
export function formatProgress(e: ProgressEvent, width = 24): string {
  const parts = [e.step];
  if (e.total !== undefined && e.total > 0) {
    const fraction = e.done / e.total;
    parts.push(`[${bar(fraction, width)}]`, `${Math.floor(fraction * 100)}%`.padStart(4));
  }
  if (e.unit === 'bytes') {
    parts.push(e.total !== undefined ? `${formatBytes(e.done)}/${formatBytes(e.total)}` : formatBytes(e.done));
    if (e.rate !== undefined) parts.push(`${formatBytes(e.rate)}/s`);
  } else if (e.unit === 'steps' && e.total !== undefined) {
    parts.push(`step ${Math.min(e.done + 1, e.total)}/${e.total}`);
  }
  if (e.etaSeconds !== undefined) parts.push(`ETA ${formatDuration(e.etaSeconds)}`);
  if (e.message) parts.push(e.message);
  return parts.join('  ');
}
