export { openStore } from './open-store.js';
export type { OpenStoreOptions } from './open-store.js';
export type { StoreDialect } from './store-dialect.js';
export { unfinishedRequestStatuses } from './store-types.js';
export type {
  CreateRunInput,
  RecordRequestInput,
  RequestCursor,
  RequestJob,
  RequestLedger,
  RequestRecord,
  RequestSource,
  RequestStatus,
  RunRecord,
  RunRepository,
  RunStatus,
  Store,
  StoreUsageLedger,
} from './store-types.js';
export type {
  RememberSlackThreadInput,
  SlackChannelBinding,
  SlackReportState,
  SlackStateRepository,
  SlackThreadRecord,
} from './slack-state-types.js';
export { finalChoreRunStatuses } from './chore-state-types.js';
export type {
  ChoreRunRecord,
  ChoreRunStatus,
  ChoreStateRepository,
  FinishChoreRunInput,
  RecordChoreRunInput,
  StoredChore,
} from './chore-state-types.js';
