import { describe, expect, it } from 'vitest';
import { hasCommentMarker } from './comment-markers.js';
import { initialSteps, renderTrackingComment, type TrackingView } from './render-tracking-comment.js';

const view: TrackingView = {
  runId: 'R-d-1',
  requester: 'alice',
  status: 'working',
  steps: { ...initialSteps(), access: 'done', fetch: 'done', agent: 'running' },
  source: { branch: 'loom/3-fix', commit: 'abcdef0123456789abcdef0123456789abcdef01' },
  turns: 3,
  costUsd: 0.0421,
  budgetUsd: 5,
  activity: 'bash: npm test',
};

describe('renderTrackingComment', () => {
  it('renders the checklist with turns, cost, budget and the running tool call', () => {
    const body = renderTrackingComment(view);
    expect(hasCommentMarker(body, 'tracking', 'R-d-1')).toBe(true);
    expect(body).toContain('### ⏳ Loom is working on this');
    expect(body).toContain('- [x] Check the requester’s access');
    expect(body).toContain('- [x] Fetch the repository (`loom/3-fix` @ `abcdef0`)');
    expect(body).toContain(
      '- [ ] **Work on the request — 3 turns, $0.0421 of $5.00 — now: `bash: npm test`**',
    );
    expect(body).toContain('- [ ] Push the changes');
    expect(body).toContain('requested by @alice');
  });

  it('shows skipped steps, the final heading and a note', () => {
    const body = renderTrackingComment({
      ...view,
      status: 'cancelled',
      steps: { ...view.steps, agent: 'failed', push: 'done', pull_request: 'skipped' },
      branch: 'loom/wip/3-fix',
      activity: undefined,
      note: 'Stopped by @bob.',
    });
    expect(body).toContain('### ⏹️ Loom stopped');
    expect(body).toContain('- [ ] ❌ Work on the request — 3 turns');
    expect(body).toContain('- [x] Push the changes to `loom/wip/3-fix`');
    expect(body).toContain('- [x] ~~Open or update the pull request~~ (not needed)');
    expect(body).toContain('Stopped by @bob.');
  });
});
