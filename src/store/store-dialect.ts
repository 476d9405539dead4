import type { Store } from './store-types.js';

/** Which adapter a store runs on. */
export type StoreDialect = Store['dialect'];
