import { describe, expect, it } from 'vitest';
import { renderCheckRun, renderFinalComment, renderPullRequest } from './render-final-report.js';
import type { AgentOutcome } from './run-journal.js';

const outcome: AgentOutcome = {
  status: 'done',
  answer: 'Fixed it, thanks @bob.',
  turns: 4,
  costUsd: 0.024,
  commands: [
    { command: 'npm test | tail', exitCode: 1, timedOut: false },
    { command: 'npm test', exitCode: 0, timedOut: false },
    { command: 'sleep 999', exitCode: null, timedOut: true },
  ],
  filesChanged: ['sum.js'],
};

describe('renderFinalComment', () => {
  it('links a created PR, carries the answer with mentions defused, turns and cost', () => {
    const body = renderFinalComment({
      runId: 'R-1',
      status: 'done',
      outcome,
      pullRequest: { number: 7, url: 'https://ghe.test/a/b/pull/7', created: true },
      budgetUsd: 5,
    });
    expect(body).toContain('<!-- loom:final:R-1 -->');
    expect(body).toContain('Opened draft pull request #7: https://ghe.test/a/b/pull/7');
    expect(body).toContain('thanks @\u200dbob');
    expect(body).toContain('4 turns · $0.0240');
  });

  it('names the WIP branch of a stopped run and the reason', () => {
    const body = renderFinalComment({
      runId: 'R-1',
      status: 'over-budget',
      reason: 'Budget reached.',
      outcome: { ...outcome, status: 'over-budget' },
      branch: 'loom/wip/3-x',
      wip: true,
      budgetUsd: 0.5,
    });
    expect(body).toContain('Stopped at the budget of $0.5000');
    expect(body).toContain('The partial work is on the branch `loom/wip/3-x`');
  });
});

describe('renderPullRequest', () => {
  it('closes the issue it came from, and only says follow-up for a PR', () => {
    const input = { issueNumber: 3, issueTitle: 'Fix sum', requester: 'alice', runId: 'R-1', outcome };
    expect(renderPullRequest({ ...input, closesIssue: true }).body.startsWith('Closes #3\n')).toBe(true);
    expect(renderPullRequest({ ...input, closesIssue: false }).body).not.toContain('Closes');
    expect(renderPullRequest({ ...input, closesIssue: true }).title).toBe('Fix sum');
  });
});

describe('renderCheckRun', () => {
  it('lists every command with its exit code, and maps the status to a conclusion', () => {
    const check = renderCheckRun({ status: 'done', outcome });
    expect(check.conclusion).toBe('success');
    expect(check.summary).toContain('| 1 | `npm test \\| tail` | 1 |');
    expect(check.summary).toContain('| 3 | `sleep 999` | timed out |');
    expect(renderCheckRun({ status: 'cancelled', outcome }).conclusion).toBe('cancelled');
    expect(renderCheckRun({ status: 'failed', outcome }).conclusion).toBe('failure');
  });
});
