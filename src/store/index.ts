export { openStore } from './open-store.js';
export type { OpenStoreOptions } from './open-store.js';
export type { StoreDialect } from './store-dialect.js';
export type {
  CreateRunInput,
  RecordRequestInput,
  RequestLedger,
  RequestRecord,
  RequestSource,
  RequestStatus,
  RunRecord,
  RunRepository,
  RunStatus,
  Store,
} from './store-types.js';
export type {
  RememberSlackThreadInput,
  SlackChannelBinding,
  SlackReportState,
  SlackStateRepository,
  SlackThreadRecord,
} from './slack-state-types.js';
