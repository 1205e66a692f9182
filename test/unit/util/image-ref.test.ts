import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src-shared/errors/app-error.js';
import { imageTag, isImageRef, parseImageRef, registryHost, splitRepositoryTag } from '../../../src-shared/util/image-ref.js';

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

  it.each([
    ['debian', { repository: 'debian', tag: 'latest' }],
    ['debian:bookworm', { repository: 'debian', tag: 'bookworm' }],
    ['library/ubuntu:24.04', { repository: 'library/ubuntu', tag: '24.04' }],
    ['localhost:5000/a/b:1', { repository: 'localhost:5000/a/b', tag: '1' }],
    ['localhost:5000/img', { repository: 'localhost:5000/img', tag: 'latest' }],
    ['registry:5000/x', { repository: 'registry:5000/x', tag: 'latest' }],
    [`quay.io/kairos/x@sha256:${'a'.repeat(64)}`, { repository: 'quay.io/kairos/x', tag: 'latest', digest: `sha256:${'a'.repeat(64)}` }],
    [`quay.io/kairos/x:v1@sha256:${'b'.repeat(64)}`, { repository: 'quay.io/kairos/x', tag: 'v1', digest: `sha256:${'b'.repeat(64)}` }],
  ])('splits %s into repository and tag', (text, expected) => {
    expect(splitRepositoryTag(text)).toEqual(expected);
  });

  it('does not split what is not a reference', () => {
    expect(() => splitRepositoryTag('Debian:12')).toThrow(AppError);
    expect(() => splitRepositoryTag('debian:')).toThrow(/"debian:" is not an image reference/);
  });

  it.each([
    ['quay.io/org/os:v1', 'quay.io'],
    ['localhost:5000/os/x:1', 'localhost:5000'],
    ['localhost/x', 'localhost'],
    [`quay.io/kairos/x@sha256:${'a'.repeat(64)}`, 'quay.io'],
    ['127.0.0.1:5000/x:1', '127.0.0.1:5000'],
    ['registry:5000/x', 'registry:5000'],
  ])('reads the registry host of %s: %s', (text, host) => {
    expect(registryHost(text)).toBe(host);
  });

  it.each(['registry/x', 'myorg/os:v1', 'debian:bookworm', 'debian'])('puts %s on Docker Hub (its first part is not a host)', (text) => {
    expect(registryHost(text)).toBe('docker.io');
  });
});
