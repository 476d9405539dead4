import type { SpendScope, UsageEvent, UsageReportQuery, UsageReportRow } from '../../proxy/index.js';
import type { StoreUsageLedger } from '../store-types.js';
import type { UsageWriter } from './threaded-usage-writer.js';

/**
 * Usage on SQLite: batches are written by the usage-writer thread, reads (a token's running spend,
 * its events) go through the store's own connection, which sees each batch once its write resolved.
 * The writer is the store's to close (`KyselyStore.close`).
 */
export class SqliteUsageLedger implements StoreUsageLedger {
  constructor(
    private readonly reads: StoreUsageLedger,
    private readonly writer: UsageWriter,
  ) {}

  record(event: UsageEvent): Promise<void> {
    return this.writer.recordMany([event]);
  }

  recordMany(events: readonly UsageEvent[]): Promise<void> {
    return this.writer.recordMany(events);
  }

  spentUsd(scope: SpendScope): Promise<number> {
    return this.reads.spentUsd(scope);
  }

  list(scope: SpendScope, limit?: number): Promise<UsageEvent[]> {
    return this.reads.list(scope, limit);
  }

  report(query: UsageReportQuery): Promise<UsageReportRow[]> {
    return this.reads.report(query);
  }
}
