/**
 * `loom usage`: who spent what through the LLM proxy, per subject, model or job. Against the server
 * when LOOM_SERVER_URL is set (with LOOM_TOKEN: an admin token sees everyone, another token its own
 * subject), else this machine's own store (the data directory of a `loom start` here).
 */
import type { Command } from 'commander';
import type { UsageParameters } from '../usage/usage-client.js';

interface UsageOptions extends UsageParameters {
  json?: boolean;
}

export function registerUsageCommand(program: Command): void {
  program
    .command('usage')
    .description(
      'Spend through the LLM proxy per subject, model or job (the server if LOOM_SERVER_URL is set)',
    )
    .option('--since <when>', 'start: a duration back from now (90m, 24h, 7d, 2w) or an ISO date', '30d')
    .option('--until <when>', 'end (exclusive), same forms; default now')
    .option('--by <grouping>', 'subject, model or job', 'subject')
    .option('--subject <subject>', "only this subject's calls")
    .option('--json', 'print JSON')
    .action(async (options: UsageOptions) => {
      const { renderUsageReport } = await import('../usage/render-usage-report.js');
      const { json, ...parameters } = options;
      const answer = await usageAnswer(parameters);
      process.stdout.write(
        json === true ? `${JSON.stringify(answer, null, 2)}\n` : renderUsageReport(answer),
      );
    });
}

async function usageAnswer(parameters: UsageParameters) {
  const { parseUsageReportQuery, usageReportAnswer } = await import('../../proxy/index.js');
  const { cliDataSource } = await import('./cli-data-source.js');
  const { config, server } = cliDataSource();
  if (server !== undefined) {
    const { fetchUsageReport } = await import('../usage/usage-client.js');
    return fetchUsageReport(server, parameters);
  }
  // Parsed before the store opens, so a bad --since fails without touching the database.
  const query = parseUsageReportQuery(parameters, new Date());
  const { openStore } = await import('../../store/index.js');
  const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  try {
    return usageReportAnswer(query, await store.usage.report(query));
  } finally {
    await store.close();
  }
}
