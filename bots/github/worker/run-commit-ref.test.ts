import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runCommitRef } from './run-agent-in-weaver.js';

describe('runCommitRef', () => {
  it('keeps ordinary run ids and makes a scheduled job’s id a valid git ref', () => {
    expect(runCommitRef('R-d-chore-1234')).toBe('refs/loom/runs/R-d-chore-1234');
    const scheduled = runCommitRef('R-repeat:chore/acme/ticker/tick:1795627440000');
    expect(scheduled).toBe('refs/loom/runs/R-repeat%3achore%2facme%2fticker%2ftick%3a1795627440000');
    // git itself accepts it (a ':' or '/' run id would not be a single valid ref component).
    expect(() => execFileSync('git', ['check-ref-format', scheduled])).not.toThrow();
  });
});
