/** Built-in processors. Later issues add `agent-run` here. */
import type { JobProcessors } from '../job-processor.js';
import { processEcho } from './echo-processor.js';

export { processEcho, echoStepMs } from './echo-processor.js';
export type { EchoResult } from './echo-processor.js';

/** The processors every worker has, whatever else it runs. */
export const builtInProcessors: JobProcessors = { echo: processEcho };
