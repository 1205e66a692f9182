import { describe, expect, it } from 'vitest';
import { imageTag, isImageRef, parseImageRef } from '../../../src-shared/util/image-ref.js';

describe('image references', () => {
  it.each([
    ['debian:bookworm', { repository: 'debian', tag: 'bookworm' }],
    ['ubuntu', { repository: 'ubuntu' }],
    ['library/ubuntu:24.04', { repository: 'library/ubuntu', tag: '24.04' }],
    ['quay.io/kairos/framework:v2.18.3', { registry: 'quay.io', repository: 'kairos/framework', tag: 'v2.18.3' }],
    ['localhost:5000/my/image:dev', { registry: 'localhost:5000', repository: 'my/image', tag: 'dev' }],
    ['localhost/img', { registry: 'localhost', repository: 'img' }],
    [`alpine@sha256:${'a'.repeat(64)}`, { repository: 'alpine', digest: `sha256:${'a'.repeat(64)}` }],
  ])('parses %s', (text, expected) => {
    expect(parseImageRef(text)).toEqual(expected);
  });

  it.each(['', 'Debian:12', 'debian bookworm', 'debian:', ':tag', 'a//b', 'UPPER/case'])('rejects %j', (text) => {
    expect(isImageRef(text)).toBe(false);
  });

  it('reads the tag, latest by default', () => {
    expect(imageTag('quay.io/kairos/framework:v2.18.3')).toBe('v2.18.3');
    expect(imageTag('debian')).toBe('latest');
  });
});
