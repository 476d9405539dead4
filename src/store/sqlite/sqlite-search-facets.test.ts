import { describe, expect, it } from 'vitest';
import { indexTerms, parseSearchQuery } from '../../threads/index.js';
import { facetToken, threadFacetTokens } from './sqlite-search-facets.js';

describe('SQLite search facets', () => {
  const thread = { owner: 'Alice <alice@example.com>', repository: 'acme/api' };

  it('names a thread the way a filter asks for it', () => {
    const tokens = threadFacetTokens(thread);
    expect(tokens).toEqual([facetToken('owner', thread.owner), facetToken('repository', 'acme/api')]);
    expect(tokens).not.toContain(facetToken('repository', 'acme/web'));
    expect(facetToken('owner', 'acme/api')).not.toBe(facetToken('repository', 'acme/api'));
    expect(threadFacetTokens({ ...thread, repository: null })).toEqual([facetToken('owner', thread.owner)]);
  });

  it('makes tokens that neither indexed text nor a typed query can produce', () => {
    for (const token of threadFacetTokens(thread)) {
      expect(token).toMatch(/^_(owner|repo)_[0-9a-f]{32}$/);
      expect(indexTerms(`see ${token} here`)).not.toContain(token);
      expect(parseSearchQuery(token).map((term) => term.text)).not.toContain(token);
      expect(parseSearchQuery(`${token}*`).map((term) => term.text)).not.toContain(token);
    }
  });
});
