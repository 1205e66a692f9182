import { describe, expect, it } from 'vitest';
import { formatTemplateValues, parseTemplateValues } from '../../../src-shared/kairosify/template-values.js';

describe('template values', () => {
  it('reads one Name=value per line, the value as typed', () => {
    expect(parseTemplateValues('BaseImage=ubuntu:24.04\nGreeting=hello world \n')).toEqual({ BaseImage: 'ubuntu:24.04', Greeting: 'hello world ' });
  });

  it('skips lines that are not a value yet, and keeps "=" inside a value', () => {
    expect(parseTemplateValues('\nGree\n=x\nArgs=a=b')).toEqual({ Args: 'a=b' });
  });

  it('writes the values back one per line', () => {
    expect(formatTemplateValues({ A: '1', B: 'two' })).toBe('A=1\nB=two');
  });

  it('a text with a new empty line or a half-typed name still means the same values', () => {
    const same = (text: string): string => formatTemplateValues(parseTemplateValues(text));
    expect(same('BaseImage=ubuntu:24.04\n')).toBe('BaseImage=ubuntu:24.04');
    expect(same('BaseImage=ubuntu:24.04\nGreet')).toBe('BaseImage=ubuntu:24.04');
    expect(same('')).toBe('');
  });
});
