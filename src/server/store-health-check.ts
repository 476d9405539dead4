import type { Store } from '../store/store-types.js';
import type { HealthCheck } from './health-check.js';

/** The store health check: the store's own `ping()`; critical, since no request can be recorded without it. */
export function createStoreHealthCheck(store: Pick<Store, 'ping'>, name = 'store'): HealthCheck {
  return { name, critical: true, check: () => store.ping() };
}
