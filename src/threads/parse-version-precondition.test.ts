import { describe, expect, it } from 'vitest';
import { parseVersionPrecondition, versionTag } from './parse-version-precondition.js';

describe('parseVersionPrecondition', () => {
  it('reads If-Match as the version to replace, quoted, bare or weak', () => {
    expect(parseVersionPrecondition('"3"', undefined)).toEqual({ kind: 'replace', version: 3 });
    expect(parseVersionPrecondition('12', undefined)).toEqual({ kind: 'replace', version: 12 });
    expect(parseVersionPrecondition('W/"7"', undefined)).toEqual({ kind: 'replace', version: 7 });
    expect(parseVersionPrecondition(versionTag(9), undefined)).toEqual({ kind: 'replace', version: 9 });
  });

  it('reads If-None-Match: * as create', () => {
    expect(parseVersionPrecondition(undefined, '*')).toEqual({ kind: 'create' });
  });

  it.each([
    [undefined, undefined],
    ['"0"', undefined],
    ['"abc"', undefined],
    ['*', undefined],
    [undefined, '"3"'],
    ['"3"', '*'],
  ])('refuses If-Match %s / If-None-Match %s as invalid_input', (ifMatch, ifNoneMatch) => {
    expect(() => parseVersionPrecondition(ifMatch, ifNoneMatch)).toThrow(
      expect.objectContaining({ code: 'invalid_input' }),
    );
  });
});
