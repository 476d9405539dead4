import { describe, expect, it } from 'vitest';
import { goesDirect, parseNoProxy } from './no-proxy.js';

describe('NO_PROXY', () => {
  const entries = parseNoProxy('internal.corp, .svc.cluster.local *.example.org,registry:5000,[::1]');

  it('covers a host and its subdomains, with or without a leading dot or star', () => {
    expect(goesDirect(entries, 'internal.corp', 443)).toBe(true);
    expect(goesDirect(entries, 'git.internal.corp', 443)).toBe(true);
    expect(goesDirect(entries, 'loom.svc.cluster.local', 80)).toBe(true);
    expect(goesDirect(entries, 'svc.cluster.local', 80)).toBe(true);
    expect(goesDirect(entries, 'api.example.org', 443)).toBe(true);
    expect(goesDirect(entries, 'API.Example.ORG', 443)).toBe(true);
    expect(goesDirect(entries, '[::1]', 8080)).toBe(true);
  });

  it('does not cover look-alike names, or another port than the one named', () => {
    expect(goesDirect(entries, 'notinternal.corp', 443)).toBe(false);
    expect(goesDirect(entries, 'internal.corp.evil.test', 443)).toBe(false);
    expect(goesDirect(entries, 'slack.com', 443)).toBe(false);
    expect(goesDirect(entries, 'registry', 5000)).toBe(true);
    expect(goesDirect(entries, 'registry', 443)).toBe(false);
  });

  it('covers nothing when unset or empty', () => {
    expect(parseNoProxy(undefined)).toEqual([]);
    expect(goesDirect(parseNoProxy(' , '), 'slack.com', 443)).toBe(false);
  });
});
