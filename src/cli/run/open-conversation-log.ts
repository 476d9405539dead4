/**
 * Opens the local store (SQLite in the CLI's data directory, ~/.loom unless LOOM_DATA_DIR is set;
 * PostgreSQL when DATABASE_URL says so) for the conversation log. Needs no server and no Redis.
 */
import os from 'node:os';
import type { LoomConfig } from '../../config/index.js';
import type { Logger } from '../../logging/index.js';
import { openStore } from '../../store/index.js';
import { createConversationLog, type ConversationLog } from './conversation-log.js';

export interface OpenedConversationLog {
  log: ConversationLog;
  close(): Promise<void>;
}

export async function openConversationLog(
  config: Pick<LoomConfig, 'dataDir' | 'databaseUrl'>,
  logger: Logger,
): Promise<OpenedConversationLog> {
  const store = await openStore({
    dataDir: config.dataDir,
    ...(config.databaseUrl === undefined ? {} : { databaseUrl: config.databaseUrl }),
    logger,
  });
  return { log: createConversationLog(store.threads, localOwner()), close: () => store.close() };
}

/** Who local conversations belong to: this machine's user. */
export function localOwner(): string {
  try {
    return `local:${os.userInfo().username}`;
  } catch {
    // No passwd entry for the uid (some containers).
    return 'local';
  }
}
