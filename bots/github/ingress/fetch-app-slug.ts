/** `GET /app` with the app's own JWT (Probot signs it), bounded in time so a webhook never waits long. */
import type { Probot } from 'probot';
import { LoomError } from '../../../src/errors/index.js';

/**
 * The authenticated app's slug. Throws `upstream_unavailable` when GitHub does not answer in time
 * or fails, `upstream_rejected` when it refuses (wrong APP_ID or private key) or answers without a slug.
 */
export async function fetchAppSlug(probot: Probot, timeoutMs: number): Promise<string> {
  let response: { status: number; data: unknown };
  try {
    const octokit = await probot.auth();
    // No retries here: the webhook is waiting; the slug cache retries on the next event.
    response = await octokit.request('GET /app', {
      request: { signal: AbortSignal.timeout(timeoutMs), retries: 0 },
    });
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    const rejected = typeof status === 'number' && status >= 400 && status < 500;
    throw new LoomError(
      rejected ? 'upstream_rejected' : 'upstream_unavailable',
      'GitHub did not return the app (GET /app)',
      {
        cause: error,
        details: typeof status === 'number' ? { status } : {},
      },
    );
  }
  const slug = (response.data as { slug?: unknown } | null)?.slug;
  if (typeof slug !== 'string' || slug === '') {
    throw new LoomError('upstream_rejected', 'GET /app answered without a slug');
  }
  return slug;
}
