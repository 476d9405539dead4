/**
 * The chores API from the CLI (`LOOM_SERVER_URL` + `LOOM_TOKEN`): list, run now, and a run's
 * status. Errors come back as LoomErrors with the server's code and message.
 */
import { LoomError, loomErrorCodes, type LoomErrorCode } from '../../errors/index.js';

export interface ChoreListing {
  repository: string;
  name: string;
  schedule: string;
  timezone: string;
  scheduled: boolean;
  nextRunAt?: string;
  lastRun?: ChoreRunAnswer;
}

export interface ChoreRunAnswer {
  runId: string;
  jobId?: string;
  repository?: string;
  chore?: string;
  status: string;
  reason?: string;
  pullRequestUrl?: string;
  costUsd?: number;
  turns?: number;
}

export interface ChoresClient {
  list(repository?: string): Promise<ChoreListing[]>;
  run(repository: string, name: string): Promise<{ jobId: string; runId: string }>;
  getRun(runId: string): Promise<ChoreRunAnswer>;
}

export function createChoresClient(options: {
  baseUrl: string;
  token: string;
  timeoutMs?: number;
}): ChoresClient {
  const base = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
  async function call(path: string, init: RequestInit = {}): Promise<unknown> {
    const url = new URL(`api/chores${path}`, base);
    let response: Response;
    try {
      response = await fetch(url, {
        ...init,
        headers: { authorization: `Bearer ${options.token}`, accept: 'application/json', ...init.headers },
        signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      });
    } catch (error) {
      throw new LoomError(
        'dependency_unavailable',
        `cannot reach the Loom server at ${url.origin}: is it running?`,
        {
          cause: error,
        },
      );
    }
    const body = (await response.json().catch(() => undefined)) as
      { error?: { code?: unknown; message?: unknown } } | undefined;
    if (!response.ok) {
      const code =
        typeof body?.error?.code === 'string' && body.error.code in loomErrorCodes
          ? (body.error.code as LoomErrorCode)
          : response.status === 404
            ? 'not_found'
            : response.status >= 500
              ? 'upstream_unavailable'
              : 'invalid_input';
      const message =
        typeof body?.error?.message === 'string' ? body.error.message : `HTTP ${response.status}`;
      throw new LoomError(code, `Loom server: ${message}`, { details: { status: response.status } });
    }
    return body;
  }
  const segment = encodeURIComponent;
  return {
    async list(repository) {
      const query = repository === undefined ? '' : `?repository=${segment(repository)}`;
      return ((await call(query)) as { chores: ChoreListing[] }).chores;
    },
    async run(repository, name) {
      const [owner = '', repo = ''] = repository.split('/');
      return (await call(`/${segment(owner)}/${segment(repo)}/${segment(name)}/runs`, {
        method: 'POST',
      })) as {
        jobId: string;
        runId: string;
      };
    },
    async getRun(runId) {
      return ((await call(`/runs/${segment(runId)}`)) as { run: ChoreRunAnswer }).run;
    },
  };
}
