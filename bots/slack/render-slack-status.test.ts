import { describe, expect, it } from 'vitest';
import { renderSlackFinal } from './render-slack-final.js';
import { initialSlackSteps, renderSlackStatus, type SlackStatusView } from './render-slack-status.js';

const working: SlackStatusView = {
  status: 'working',
  repository: 'acme/web',
  steps: { ...initialSlackSteps(), fetch: 'done', agent: 'running' },
  turns: 3,
  toolCalls: 7,
  costUsd: 0.4213,
  budgetUsd: 3,
  activity: 'bash: npm test -- --run `login`',
};

describe('renderSlackStatus', () => {
  it('shows the heading, turns, steps, cost against the budget and the running tool call', () => {
    expect(renderSlackStatus(working)).toBe(
      [
        ':hourglass_flowing_sand: *Working on it* · `acme/web` · 3 turns · 7 steps · $0.42 of $3.00',
        ':white_check_mark: Fetch the repository',
        ":large_blue_circle: Work on the request — now: `bash: npm test -- --run 'login'`",
        ':white_circle: Push the changes',
        ':white_circle: Open or update the pull request',
      ].join('\n'),
    );
  });

  it('drops skipped steps and the activity once finished, and shows the note', () => {
    const text = renderSlackStatus({
      ...working,
      status: 'failed',
      steps: { fetch: 'done', agent: 'failed', push: 'skipped', pull_request: 'skipped' },
      note: 'tests_failed in step_2',
      turns: 1,
      toolCalls: 1,
    });
    expect(text).toContain(':x: *Failed* · `acme/web` · 1 turn · 1 step');
    expect(text).not.toContain('Push the changes');
    expect(text).not.toContain('now:');
    expect(text).toContain('_tests failed in step 2_');
  });
});

describe('renderSlackFinal', () => {
  it('links the pull request of a finished run', () => {
    expect(
      renderSlackFinal({
        status: 'done',
        pullRequestUrl: 'https://github.com/acme/web/pull/7',
        answer: 'Fixed.',
      }),
    ).toBe(':white_check_mark: Done: https://github.com/acme/web/pull/7\n\nFixed.');
  });

  it('gives an answer as it is', () => {
    expect(renderSlackFinal({ status: 'answered', answer: 'The flag is in config.ts.' })).toBe(
      'The flag is in config.ts.',
    );
  });

  it('says why a run stopped and where its partial work is', () => {
    const text = renderSlackFinal({ status: 'over-budget', reason: '$3.00 spent', branch: 'loom/wip-12' });
    expect(text).toContain('stopped at the budget ($3.00 spent)');
    expect(text).toContain('Partial work is on `loom/wip-12`');
    expect(renderSlackFinal({ status: 'failed', reason: 'the weaver crashed' })).toContain(
      'I could not finish: the weaver crashed.',
    );
  });

  it('cuts a very long answer', () => {
    const text = renderSlackFinal({ status: 'answered', answer: 'x'.repeat(20_000) });
    expect(text.length).toBeLessThan(12_100);
    expect(text).toContain('answer cut at 12000 characters');
  });
});
