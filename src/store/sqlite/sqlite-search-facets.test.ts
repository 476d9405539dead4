import { describe, expect, it } from 'vitest';
import { indexTerms, parseSearchQuery } from '../../threads/index.js';
import { filterFacetTokens, threadFacetTokens } from './sqlite-search-facets.js';

describe('SQLite search facets', () => {
  const thread = {
    status: 'over-budget',
    visibility: 'team',
    owner: 'Alice <alice@example.com>',
    repository: 'acme/api',
    sourceKinds: ['github', 'slack', 'github'],
  };

  it('names a thread the way a filter asks for it, every filter being one of its tokens', () => {
    const tokens = threadFacetTokens(thread);
    for (const filters of [
      { status: 'over-budget' as const },
      { visibility: 'team' as const },
      { owner: thread.owner },
      { repository: 'acme/api' },
      { source: 'slack' as const },
      { status: 'over-budget' as const, repository: 'acme/api', source: 'github' as const },
    ]) {
      for (const token of filterFacetTokens(filters)) expect(tokens).toContain(token);
    }
    expect(tokens).not.toContain(filterFacetTokens({ repository: 'acme/web' })[0]);
    expect(tokens.filter((token) => token.startsWith('_source_'))).toEqual([
      '_source_github',
      '_source_slack',
    ]);
    expect(
      threadFacetTokens({ ...thread, repository: null }).some((token) => token.startsWith('_repo_')),
    ).toBe(false);
  });

  it('makes tokens that neither indexed text nor a typed query can produce', () => {
    for (const token of threadFacetTokens(thread)) {
      expect(token).toMatch(/^_[a-z]+_[a-z0-9-]+$/);
      expect(indexTerms(`see ${token} here`)).not.toContain(token);
      expect(parseSearchQuery(token).map((term) => term.text)).not.toContain(token);
      expect(parseSearchQuery(`${token}*`).map((term) => term.text)).not.toContain(token);
    }
  });
});
