import type { Kysely, Selectable } from 'kysely';
import type { ChoreDefinition } from '../chores/index.js';
import { LoomError } from '../errors/index.js';
import type {
  ChoreRunRecord,
  ChoreRunStatus,
  ChoreStateRepository,
  FinishChoreRunInput,
  RecordChoreRunInput,
  StoredChore,
} from './chore-state-types.js';
import type { ChoreRunsTable, ChoresTable, LoomDatabase } from './database-schema.js';
import type { ValueCodec } from './value-codec.js';

const unfinished: ChoreRunStatus[] = ['queued', 'running'];
const defaultRunLimit = 20;
const maxRunLimit = 500;

/**
 * Chores, chore runs and dashboard issues on any Kysely dialect. Writes are single statements
 * (`INSERT … ON CONFLICT`, conditional `UPDATE`), so concurrent servers and workers agree without
 * transactions; `replaceChores` is a sequence of them and converges when repeated.
 */
export class KyselyChoreStateRepository implements ChoreStateRepository {
  constructor(
    private readonly db: Kysely<LoomDatabase>,
    private readonly codec: ValueCodec,
  ) {}

  async replaceChores(repository: string, installationId: number, chores: readonly ChoreDefinition[]) {
    const existing = new Map((await this.listChores(repository)).map((chore) => [chore.name, chore]));
    const added: string[] = [];
    const changed: string[] = [];
    const now = this.codec.encodeDate(new Date());
    for (const chore of chores) {
      const before = existing.get(chore.name);
      existing.delete(chore.name);
      if (before !== undefined && sameChore(before, chore) && before.installationId === installationId)
        continue;
      (before === undefined ? added : changed).push(chore.name);
      const values = {
        installation_id: installationId,
        schedule: chore.schedule,
        timezone: chore.timezone ?? null,
        prompt: chore.prompt,
        budget_usd: chore.budgetUsd ?? null,
        labels: JSON.stringify(chore.labels),
        reviewers: JSON.stringify(chore.reviewers),
        slack_channel: chore.slackChannel ?? null,
        updated_at: now,
      };
      await this.db
        .insertInto('chores')
        .values({ repository, name: chore.name, ...values })
        .onConflict((conflict) => conflict.columns(['repository', 'name']).doUpdateSet(values))
        .execute();
    }
    const removed = [...existing.keys()];
    if (removed.length > 0) {
      await this.db
        .deleteFrom('chores')
        .where('repository', '=', repository)
        .where('name', 'in', removed)
        .execute();
    }
    return { added, changed, removed };
  }

  async listChores(repository?: string): Promise<StoredChore[]> {
    let query = this.db.selectFrom('chores').selectAll();
    if (repository !== undefined) query = query.where('repository', '=', repository);
    const rows = await query.orderBy('repository').orderBy('name').execute();
    return rows.map((row) => this.toChore(row));
  }

  async getChore(repository: string, name: string): Promise<StoredChore | undefined> {
    const row = await this.db
      .selectFrom('chores')
      .selectAll()
      .where('repository', '=', repository)
      .where('name', '=', name)
      .executeTakeFirst();
    return row === undefined ? undefined : this.toChore(row);
  }

  async recordRun(input: RecordChoreRunInput): Promise<ChoreRunRecord> {
    const now = this.codec.encodeDate(new Date());
    const started = input.status === 'running' ? now : null;
    await this.db
      .insertInto('chore_runs')
      .values({
        run_id: input.runId,
        job_id: input.jobId,
        repository: input.repository,
        chore_name: input.choreName,
        trigger: input.trigger,
        status: input.status,
        created_at: now,
        updated_at: now,
        started_at: started,
      })
      .onConflict((conflict) =>
        conflict
          .column('run_id')
          .doUpdateSet((eb) => ({
            status: input.status,
            updated_at: now,
            started_at: eb.fn.coalesce('chore_runs.started_at', eb.val(started)),
          }))
          .where('chore_runs.status', 'in', unfinished),
      )
      .execute();
    return this.requireRun(input.runId);
  }

  async finishRun(runId: string, outcome: FinishChoreRunInput): Promise<ChoreRunRecord> {
    const now = this.codec.encodeDate(new Date());
    const result = await this.db
      .updateTable('chore_runs')
      .set({
        status: outcome.status,
        reason: outcome.reason ?? null,
        pull_request_url: outcome.pullRequest?.url ?? null,
        pull_request_number: outcome.pullRequest?.number ?? null,
        cost_usd: outcome.costUsd,
        turns: outcome.turns,
        updated_at: now,
        finished_at: now,
      })
      .where('run_id', '=', runId)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw new LoomError('not_found', `no chore run ${runId}`);
    return this.requireRun(runId);
  }

  async getRun(runId: string): Promise<ChoreRunRecord | undefined> {
    const row = await this.db
      .selectFrom('chore_runs')
      .selectAll()
      .where('run_id', '=', runId)
      .executeTakeFirst();
    return row === undefined ? undefined : this.toRun(row);
  }

  async listRuns(query: {
    repository: string;
    choreName?: string;
    limit?: number;
  }): Promise<ChoreRunRecord[]> {
    let select = this.db.selectFrom('chore_runs').selectAll().where('repository', '=', query.repository);
    if (query.choreName !== undefined) select = select.where('chore_name', '=', query.choreName);
    const limit = Math.min(Math.max(query.limit ?? defaultRunLimit, 1), maxRunLimit);
    const rows = await select.orderBy('created_at', 'desc').orderBy('run_id', 'desc').limit(limit).execute();
    return rows.map((row) => this.toRun(row));
  }

  async getDashboardIssue(repository: string): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('chore_dashboards')
      .select('issue_number')
      .where('repository', '=', repository)
      .executeTakeFirst();
    return row?.issue_number;
  }

  async claimDashboardIssue(repository: string, issueNumber: number): Promise<number> {
    await this.db
      .insertInto('chore_dashboards')
      .values({ repository, issue_number: issueNumber, updated_at: this.codec.encodeDate(new Date()) })
      .onConflict((conflict) => conflict.column('repository').doNothing())
      .execute();
    return (await this.getDashboardIssue(repository)) ?? issueNumber;
  }

  async forgetDashboardIssue(repository: string): Promise<void> {
    await this.db.deleteFrom('chore_dashboards').where('repository', '=', repository).execute();
  }

  private async requireRun(runId: string): Promise<ChoreRunRecord> {
    const run = await this.getRun(runId);
    if (run === undefined) throw new LoomError('internal', `chore run ${runId} vanished after a write`);
    return run;
  }

  private toChore(row: Selectable<ChoresTable>): StoredChore {
    return {
      repository: row.repository,
      name: row.name,
      installationId: Number(row.installation_id),
      schedule: row.schedule,
      timezone: row.timezone ?? undefined,
      prompt: row.prompt,
      budgetUsd: row.budget_usd === null ? undefined : Number(row.budget_usd),
      labels: this.decodeList(row.labels),
      reviewers: this.decodeList(row.reviewers),
      slackChannel: row.slack_channel ?? undefined,
      updatedAt: this.codec.decodeDate(row.updated_at),
    };
  }

  /** Lists are stored as JSON arrays; the codec's `decodeJson` is typed for objects. */
  private decodeList(value: ChoresTable['labels']): string[] {
    const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
    return Array.isArray(parsed) ? parsed.map(String) : [];
  }

  private toRun(row: Selectable<ChoreRunsTable>): ChoreRunRecord {
    const date = (value: ChoreRunsTable['started_at']) =>
      value === null ? undefined : this.codec.decodeDate(value);
    return {
      runId: row.run_id,
      jobId: row.job_id,
      repository: row.repository,
      choreName: row.chore_name,
      trigger: row.trigger === 'manual' ? 'manual' : 'scheduled',
      status: row.status as ChoreRunStatus,
      reason: row.reason ?? undefined,
      pullRequestUrl: row.pull_request_url ?? undefined,
      pullRequestNumber: row.pull_request_number ?? undefined,
      costUsd: Number(row.cost_usd),
      turns: Number(row.turns),
      createdAt: this.codec.decodeDate(row.created_at),
      updatedAt: this.codec.decodeDate(row.updated_at),
      startedAt: date(row.started_at),
      finishedAt: date(row.finished_at),
    };
  }
}

function sameChore(stored: StoredChore, chore: ChoreDefinition): boolean {
  return (
    stored.schedule === chore.schedule &&
    stored.timezone === chore.timezone &&
    stored.prompt === chore.prompt &&
    stored.budgetUsd === chore.budgetUsd &&
    stored.slackChannel === chore.slackChannel &&
    JSON.stringify(stored.labels) === JSON.stringify(chore.labels) &&
    JSON.stringify(stored.reviewers) === JSON.stringify(chore.reviewers)
  );
}
