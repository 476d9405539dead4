import { describe, expect, it } from 'vitest';
import { createRunJournal, parseGithubRunJournal } from './run-journal.js';

describe('createRunJournal', () => {
  it('merges updates and saves the whole journal in call order', async () => {
    const saved: Record<string, unknown>[] = [];
    const journal = createRunJournal({
      progress: { trackingCommentId: 5 },
      saveProgress: async (progress) => {
        saved.push(progress);
      },
    });
    await Promise.all([journal.update({ authorized: true }), journal.update({ spentUsd: 0.5 })]);
    expect(journal.state).toEqual({ trackingCommentId: 5, authorized: true, spentUsd: 0.5 });
    expect(saved).toEqual([
      { trackingCommentId: 5, authorized: true },
      { trackingCommentId: 5, authorized: true, spentUsd: 0.5 },
    ]);
  });

  it('keeps saving after one save failed', async () => {
    let calls = 0;
    const journal = createRunJournal({
      progress: {},
      saveProgress: async () => {
        calls += 1;
        if (calls === 1) throw new Error('database restarting');
      },
    });
    await expect(journal.update({ authorized: true })).rejects.toThrow('database restarting');
    await expect(journal.update({ spentUsd: 1 })).resolves.toBeUndefined();
  });

  it('starts from scratch on a journal it cannot read', () => {
    expect(parseGithubRunJournal({ trackingCommentId: 'not a number' })).toEqual({});
  });
});
