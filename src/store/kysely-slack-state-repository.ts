import type { Kysely, Selectable } from 'kysely';
import type { LoomDatabase, SlackChannelRepositoriesTable, SlackThreadsTable } from './database-schema.js';
import type {
  RememberSlackThreadInput,
  SlackChannelBinding,
  SlackReportState,
  SlackStateRepository,
  SlackThreadRecord,
} from './slack-state-types.js';
import type { GroupCommit } from './group-commit.js';
import { recordRequest, requestFromRow } from './record-request.js';
import type { RecordRequestInput, RequestRecord } from './store-types.js';
import type { ValueCodec } from './value-codec.js';

/**
 * The Slack app's state on any Kysely dialect. Every write is one `INSERT … ON CONFLICT … DO UPDATE`,
 * so concurrent servers agree without transactions; `recordRequestWithThread` adds the ledger row in
 * the same transaction (through the store's group commit, like the ledger's own writes).
 */
export class KyselySlackStateRepository implements SlackStateRepository {
  constructor(
    private readonly db: Kysely<LoomDatabase>,
    private readonly codec: ValueCodec,
    private readonly write: GroupCommit = (work) => work(db),
  ) {}

  async recordRequestWithThread(
    request: RecordRequestInput,
    thread: RememberSlackThreadInput,
  ): Promise<{ created: boolean; request: RequestRecord }> {
    const { created, row } = await this.write(async (trx) => {
      const recorded = await recordRequest(trx, this.codec, request);
      if (recorded.created) await this.upsertThread(trx, thread);
      return recorded;
    });
    return { created, request: requestFromRow(row, this.codec) };
  }

  async bindChannel(input: Omit<SlackChannelBinding, 'updatedAt'>): Promise<SlackChannelBinding> {
    const now = this.codec.encodeDate(new Date());
    const row = await this.db
      .insertInto('slack_channel_repositories')
      .values({
        team_id: input.teamId,
        channel_id: input.channelId,
        repository: input.repository,
        set_by: input.setBy,
        updated_at: now,
      })
      .onConflict((conflict) =>
        conflict
          .columns(['team_id', 'channel_id'])
          .doUpdateSet({ repository: input.repository, set_by: input.setBy, updated_at: now }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    return this.toBinding(row);
  }

  async getChannelBinding(teamId: string, channelId: string): Promise<SlackChannelBinding | undefined> {
    const row = await this.db
      .selectFrom('slack_channel_repositories')
      .selectAll()
      .where('team_id', '=', teamId)
      .where('channel_id', '=', channelId)
      .executeTakeFirst();
    return row === undefined ? undefined : this.toBinding(row);
  }

  async rememberThread(input: RememberSlackThreadInput): Promise<SlackThreadRecord> {
    return this.toThread(await this.upsertThread(this.db, input));
  }

  private upsertThread(db: Kysely<LoomDatabase>, input: RememberSlackThreadInput) {
    const now = this.codec.encodeDate(new Date());
    return db
      .insertInto('slack_threads')
      .values({
        team_id: input.teamId,
        channel_id: input.channelId,
        thread_ts: input.threadTs,
        repository: input.repository ?? null,
        pending_prompt: input.pendingPrompt ?? null,
        created_at: now,
        updated_at: now,
      })
      .onConflict((conflict) =>
        conflict.columns(['team_id', 'channel_id', 'thread_ts']).doUpdateSet({
          updated_at: now,
          ...(input.repository === undefined ? {} : { repository: input.repository }),
          ...(input.pendingPrompt === undefined ? {} : { pending_prompt: input.pendingPrompt }),
        }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async getThread(
    teamId: string,
    channelId: string,
    threadTs: string,
  ): Promise<SlackThreadRecord | undefined> {
    const row = await this.db
      .selectFrom('slack_threads')
      .selectAll()
      .where('team_id', '=', teamId)
      .where('channel_id', '=', channelId)
      .where('thread_ts', '=', threadTs)
      .executeTakeFirst();
    return row === undefined ? undefined : this.toThread(row);
  }

  async getReport(key: string): Promise<SlackReportState | undefined> {
    const row = await this.db
      .selectFrom('slack_reports')
      .select('state')
      .where('report_key', '=', key)
      .executeTakeFirst();
    return row === undefined ? undefined : (this.codec.decodeJson(row.state) as SlackReportState);
  }

  async saveReport(key: string, state: SlackReportState): Promise<void> {
    const now = this.codec.encodeDate(new Date());
    const encoded = this.codec.encodeJson({ ...state });
    await this.db
      .insertInto('slack_reports')
      .values({ report_key: key, state: encoded, updated_at: now })
      .onConflict((conflict) =>
        conflict.column('report_key').doUpdateSet({ state: encoded, updated_at: now }),
      )
      .execute();
  }

  private toBinding(row: Selectable<SlackChannelRepositoriesTable>): SlackChannelBinding {
    return {
      teamId: row.team_id,
      channelId: row.channel_id,
      repository: row.repository,
      setBy: row.set_by,
      updatedAt: this.codec.decodeDate(row.updated_at),
    };
  }

  private toThread(row: Selectable<SlackThreadsTable>): SlackThreadRecord {
    return {
      teamId: row.team_id,
      channelId: row.channel_id,
      threadTs: row.thread_ts,
      repository: row.repository ?? undefined,
      pendingPrompt: row.pending_prompt ?? undefined,
      createdAt: this.codec.decodeDate(row.created_at),
      updatedAt: this.codec.decodeDate(row.updated_at),
    };
  }
}
