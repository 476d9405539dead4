/**
 * The chores API, mounted at `/api/chores` (admin tokens only: a run spends model budget):
 * - `GET /?repository=owner/name`: the chores (of one repository) with next and last run;
 * - `POST /{owner}/{repo}/{name}/runs`: run a chore now (202 with the job and run ids);
 * - `GET /runs/{runId}`: a run's status and result.
 */
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Queue } from 'bullmq';
import { nextRunTimes } from '../../../src/chores/index.js';
import { LoomError } from '../../../src/errors/index.js';
import type { Logger } from '../../../src/logging/index.js';
import type { Store } from '../../../src/store/index.js';
import type { AuthenticateBearer } from '../../../src/threads/index.js';
import { enqueueChoreRun, listChoreSchedules } from '../../../queue/chores/index.js';
import { choreRunView, type ChoreRunView } from './chore-run-view.js';

export interface ChoresRouterDeps {
  store: Pick<Store, 'chores' | 'runs' | 'requests'>;
  queue: Queue;
  authenticate: AuthenticateBearer;
  logger: Logger;
}

const repositoryPattern = /^[\w.-]+\/[\w.-]+$/;

export function createChoresRouter(deps: ChoresRouterDeps): Router {
  const router = Router();
  router.use(requireAdmin(deps));

  router.get('/', async (req, res) => {
    const repository = typeof req.query.repository === 'string' ? req.query.repository : undefined;
    if (repository !== undefined && !repositoryPattern.test(repository)) {
      throw new LoomError('invalid_input', 'repository must be owner/name');
    }
    const chores = await deps.store.chores.listChores(repository);
    if (repository !== undefined && chores.length === 0) {
      throw new LoomError(
        'not_found',
        `no chores are known for ${repository}: is .loom/chores.yml on its default branch, and the GitHub App installed there?`,
      );
    }
    const schedules = new Map(
      (await listChoreSchedules(deps.queue, repository)).map((schedule) => [
        `${schedule.repository}/${schedule.name}`,
        schedule,
      ]),
    );
    const now = new Date();
    const answer = [];
    for (const chore of chores) {
      const [last] = await deps.store.chores.listRuns({
        repository: chore.repository,
        choreName: chore.name,
        limit: 1,
      });
      const schedule = schedules.get(`${chore.repository}/${chore.name}`);
      answer.push({
        repository: chore.repository,
        name: chore.name,
        schedule: chore.schedule,
        timezone: chore.timezone ?? 'UTC',
        budgetUsd: chore.budgetUsd,
        labels: chore.labels,
        reviewers: chore.reviewers,
        slackChannel: chore.slackChannel,
        scheduled: schedule !== undefined,
        nextRunAt: (schedule?.next ?? nextRunTimes(chore.schedule, chore.timezone, now)[0])?.toISOString(),
        lastRun: last === undefined ? undefined : serialize(choreRunView(last)),
      });
    }
    res.json({ chores: answer });
  });

  router.get('/runs/:runId', async (req, res) => {
    const runId = String(req.params.runId);
    const record = await deps.store.chores.getRun(runId);
    if (record !== undefined) return void res.json({ run: serialize(choreRunView(record)) });
    // Enqueued but not started yet: the worker has not recorded it.
    const run = await deps.store.runs.get(runId);
    const job = runId.startsWith('R-') ? await deps.queue.getJob(runId.slice(2)) : undefined;
    if (run === undefined && job === undefined) throw new LoomError('not_found', `no chore run ${runId}`);
    res.json({
      run: {
        runId,
        jobId: runId.slice(2),
        status: run?.status === 'failed' ? 'failed' : 'queued',
        reason: run?.error,
      },
    });
  });

  router.post('/:owner/:repo/:name/runs', async (req, res) => {
    const repository = `${String(req.params.owner)}/${String(req.params.repo)}`;
    const name = String(req.params.name);
    const chore = await deps.store.chores.getChore(repository, name);
    if (chore === undefined) {
      const known = (await deps.store.chores.listChores(repository)).map((entry) => entry.name);
      throw new LoomError(
        'not_found',
        known.length === 0
          ? `no chores are known for ${repository}`
          : `${repository} has no chore "${name}" (it has: ${known.join(', ')})`,
      );
    }
    const key = req.get('idempotency-key');
    const enqueued = await enqueueChoreRun({
      queue: deps.queue,
      ledger: deps.store.requests,
      repository,
      installationId: chore.installationId,
      chore,
      ...(key === undefined || !/^[\w.-]{1,100}$/.test(key) ? {} : { requestId: key }),
      logger: deps.logger,
    });
    await deps.store.chores.recordRun({
      runId: enqueued.runId,
      jobId: enqueued.jobId,
      repository,
      choreName: name,
      trigger: 'manual',
      status: 'queued',
    });
    deps.logger.info({ repository, chore: name, jobId: enqueued.jobId }, 'chore run enqueued');
    res.status(202).json({ jobId: enqueued.jobId, runId: enqueued.runId, duplicate: enqueued.duplicate });
  });
  return router;
}

function serialize(view: ChoreRunView): Record<string, unknown> {
  return JSON.parse(JSON.stringify(view)) as Record<string, unknown>;
}

/** 401 without a valid bearer token, 403 for a token that is not an admin's. */
function requireAdmin(deps: ChoresRouterDeps) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
    if (match?.[1] === undefined) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      throw new LoomError(
        'unauthorized',
        'a bearer token is required (LOOM_TOKEN from `loom token create --role admin`)',
      );
    }
    const principal = await deps.authenticate(match[1]);
    if (principal.role !== 'admin') throw new LoomError('forbidden', 'the chores API needs an admin token');
    next();
  };
}
