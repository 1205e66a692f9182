// What each engine is: OS, architecture, engine name and version, or why it does not answer.
// All at once, each with a short timeout: a dead tcp:// engine must not hold up the list.
import type Docker from 'dockerode';
import type { EngineInfo } from '../../src-shared/api/contract.js';
import type { EngineCandidate } from '../../src-shared/engines/engine-candidates.js';
import { reach, shortReason, withTimeout } from './docker-engine.js';

const PROBE_MS = 3000;

/** The engine's own facts from version() and info() (info may fail: version() is enough). */
export async function describeEngine(docker: Docker, ms = PROBE_MS): Promise<Pick<EngineInfo, 'os' | 'osName' | 'arch' | 'engine' | 'version'>> {
  const [version, info] = await Promise.all([withTimeout(docker.version(), ms), withTimeout(docker.info() as Promise<{ OperatingSystem?: string }>, ms).catch(() => undefined)]);
  const v = version as Docker.DockerVersion & { Platform?: { Name?: string }; Components?: ReadonlyArray<{ Name?: string }> };
  // Docker's builds name themselves in Platform; Debian's and Podman's in their first component ("Engine", "Podman Engine").
  const component = v.Components?.[0]?.Name;
  const engine = v.Platform?.Name || (component && component !== 'Engine' ? component : 'Docker Engine');
  return {
    os: v.Os,
    arch: v.Arch,
    version: v.Version,
    engine,
    ...(info?.OperatingSystem ? { osName: info.OperatingSystem } : {}),
  };
}

function infoOf(candidate: EngineCandidate): EngineInfo {
  return { id: candidate.id, label: candidate.label, source: candidate.source, host: candidate.host, ...(candidate.current ? { current: true } : {}) };
}

export async function probeEngine(candidate: EngineCandidate): Promise<EngineInfo> {
  const answer = await reach(candidate, PROBE_MS);
  if (!('docker' in answer)) return { ...infoOf(candidate), error: answer.reason };
  try {
    return { ...infoOf(candidate), ...(await describeEngine(answer.docker)) };
  } catch (error) {
    return { ...infoOf(candidate), error: shortReason(error) };
  }
}

export function probeEngines(candidates: ReadonlyArray<EngineCandidate>): Promise<EngineInfo[]> {
  return Promise.all(candidates.map(probeEngine));
}
