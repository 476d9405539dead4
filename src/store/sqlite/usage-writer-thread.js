// Entry of the SQLite usage-writer thread. A worker thread does not inherit a loader registered
// through tsx's API (as the `loom` binary does), so it registers its own before loading the
// TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./usage-writer-worker.ts');
