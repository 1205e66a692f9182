import { describe, expect, it } from 'vitest';
import { dockerStartHint } from '../../../src-main/docker/docker-engine.js';

describe('dockerStartHint', () => {
  it('tells what to do per platform', () => {
    expect(dockerStartHint('linux')).toContain('systemctl start docker');
    expect(dockerStartHint('darwin')).toContain('Docker Desktop');
  });
});
