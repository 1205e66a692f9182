// The artifact download route's pure parts: which addresses it answers, and the file name header.
import { describe, expect, it } from 'vitest';
import { artifactTarget, attachmentHeader } from '../../../src-main/web/artifact-download.js';

describe('artifactTarget', () => {
  it('reads a job id and an artifact number', () => {
    expect(artifactTarget('/api/artifact/build-0123abcd/2')).toEqual({ jobId: 'build-0123abcd', index: 2 });
  });

  it('answers nothing for paths, dots, empty or signed numbers', () => {
    for (const path of ['/api/artifact/build-1/..', '/api/artifact/../1', '/api/artifact/a.b/0', '/api/artifact/build-1/-1', '/api/artifact/build-1', '/api/artifact/build-1/0/x', '/api/artifacts/build-1/0']) {
      expect(artifactTarget(path), path).toBeUndefined();
    }
  });
});

describe('attachmentHeader', () => {
  it('names the file only, with an ASCII fallback and its UTF-8 form', () => {
    expect(attachmentHeader('/srv/out/node.iso')).toBe(`attachment; filename="node.iso"; filename*=UTF-8''node.iso`);
    expect(attachmentHeader('/srv/out/a "b"\\ü.img')).toBe(`attachment; filename="a _b___.img"; filename*=UTF-8''a%20%22b%22%5C%C3%BC.img`);
  });
});
