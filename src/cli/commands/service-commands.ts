/** `loom start`, `loom server`, `loom worker`: the long-running processes. */
import type { Command } from 'commander';

export function registerServiceCommands(program: Command): void {
  program
    .command('start')
    .description('Run server, worker and scheduler in one process (what `npm start` runs)')
    .action(async () => {
      const { runServices } = await import('../services/run-services.js');
      await runServices({ server: true, worker: true, scheduler: true });
    });
  program
    .command('server')
    .description('Run the HTTP server: webhooks, LLM proxy, API, /healthz, /metrics')
    .action(async () => {
      const { runServices } = await import('../services/run-services.js');
      await runServices({ server: true, worker: false, scheduler: false });
    });
  program
    .command('worker')
    .description('Run a worker that takes agent jobs from the queue (and the scheduler duties)')
    .action(async () => {
      const { runServices } = await import('../services/run-services.js');
      // The scheduler's duties (outbox reconcile, chore schedules) are safe to run in every worker
      // (each is idempotent, tested with two at once), so a split deployment needs no extra process.
      await runServices({ server: false, worker: true, scheduler: true });
    });
}
