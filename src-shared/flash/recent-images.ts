// The recently built images a user can write to a drive: the artifacts of the engine's ended jobs
// (builds, ISO config swaps) that are whole bootable images, newest first, each path once. The
// flash door and the start screen offer them one click away.
import type { JobSummary } from '../api/contract.js';

/** Artifact kinds that are a whole drive's image: an ISO (hybrid), raw EFI/BIOS disks, a Raspberry Pi card. */
export const FLASHABLE_KINDS: ReadonlySet<string> = new Set(['iso', 'raw-efi', 'raw-bios', 'rpi']);

/** Extensions the image picker offers: the flashable images, raw or compressed. */
export const IMAGE_EXTENSIONS = ['iso', 'img', 'raw', 'xz', 'gz', 'zst', 'zip', 'bz2'] as const;

export interface RecentImage {
  readonly path: string;
  readonly kind: string;
  readonly size: number;
  /** The job that made it ("Build my-kairos"). */
  readonly from: string;
  readonly finishedAt: string | undefined;
}

export function recentImages(summaries: ReadonlyArray<JobSummary>, limit = 6): RecentImage[] {
  const seen = new Set<string>();
  const out: RecentImage[] = [];
  const ended = summaries
    .filter((s) => s.state === 'done' && s.kind !== 'flash')
    .sort((a, b) => (b.finishedAt ?? b.startedAt).localeCompare(a.finishedAt ?? a.startedAt));
  for (const job of ended) {
    for (const artifact of job.result?.artifacts ?? []) {
      if (!FLASHABLE_KINDS.has(artifact.kind) || seen.has(artifact.path)) continue;
      seen.add(artifact.path);
      out.push({ path: artifact.path, kind: artifact.kind, size: artifact.size, from: job.title, finishedAt: job.finishedAt });
      if (out.length === limit) return out;
    }
  }
  return out;
}
