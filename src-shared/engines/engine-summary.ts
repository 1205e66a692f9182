// One engine in words, the same in the CLI's list and the app's picker.
import type { EngineInfo } from '../api/contract.js';

/** "linux/amd64 · Docker Engine - Community 27.3.1 · Debian GNU/Linux 12 (bookworm)", or why it does not answer. */
export function engineSummary(engine: EngineInfo): string {
  if (engine.error !== undefined) return `does not answer: ${engine.error}`;
  const platform = engine.os || engine.arch ? `${engine.os ?? '?'}/${engine.arch ?? '?'}` : undefined;
  const product = [engine.engine, engine.version].filter(Boolean).join(' ');
  return [platform, product, engine.osName].filter((part) => part !== undefined && part !== '').join(' · ');
}

/** Where an engine came from, for its list entry. */
export function engineOrigin(engine: EngineInfo): string {
  switch (engine.source) {
    case 'DOCKER_HOST':
      return 'DOCKER_HOST';
    case 'context':
      return engine.current ? 'Docker context (current)' : 'Docker context';
    case 'socket':
      return engine.current ? 'socket (docker CLI default)' : 'socket';
    default:
      return 'chosen address';
  }
}
