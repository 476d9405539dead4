/**
 * The common start of `loom run`, `loom` and `loom resume`: configuration, settings, the progress
 * renderer on stderr and a logger that prints readable lines through it.
 */
import type { RunAgentOptions } from '../../agent/index.js';
import { loadConfig, type LoomConfig } from '../../config/index.js';
import { costOfUsage, readModelPricesFile, type ModelPrice } from '../../llm/index.js';
import { createLogger, type Logger } from '../../logging/index.js';
import { installOutboundProxy } from '../../outbound/index.js';
import type { CliIo } from './cli-io.js';
import { createCliLogDestination } from './cli-log-destination.js';
import type { AgentSession } from './open-agent-session.js';
import { createProgressRenderer, type ProgressRenderer } from './progress-renderer.js';
import { resolveRunSettings, type AgentCommandOptions, type RunSettings } from './resolve-run-settings.js';

export interface AgentCommandContext {
  io: CliIo;
  config: LoomConfig;
  settings: RunSettings;
  renderer: ProgressRenderer;
  logger: Logger;
  /** The price table of `--max-cost` (LOOM_MODEL_PRICES over the built-in one). */
  prices: Readonly<Record<string, ModelPrice>> | undefined;
}

export function prepareAgentCommand(
  options: AgentCommandOptions,
  io: CliIo,
  display: { textOnStdout: boolean },
  config: LoomConfig = loadConfig(io.env, { role: 'cli' }),
): AgentCommandContext {
  const settings = resolveRunSettings(options, config, io.cwd);
  const renderer = createProgressRenderer({
    output: io.stderr,
    tty: io.stderr.isTTY === true,
    color: io.env.NO_COLOR === undefined || io.env.NO_COLOR === '',
    textOnStdout: display.textOnStdout,
  });
  // Interactive commands show warnings and errors only, unless LOOM_LOG_LEVEL asks for more.
  const logger = createLogger({
    level: io.env.LOOM_LOG_LEVEL?.trim() || 'warn',
    name: 'loom',
    destination: createCliLogDestination((line) => renderer.note(line)),
  });
  // Before any model client exists: the provider SDKs, and the proxy client, call `fetch`.
  installOutboundProxy(config, logger, { ownServerDirect: false });
  const prices =
    config.modelPricesFile === undefined ? undefined : readModelPricesFile(config.modelPricesFile);
  return { io, config, settings, renderer, logger, prices };
}

/** One line on stderr saying what is about to run where. */
export function describeSession(settings: RunSettings, session: AgentSession): string {
  const route = settings.route.kind === 'proxy' ? ` via ${settings.route.serverUrl}` : '';
  const sandbox = session.sandboxed ? 'sandboxed' : 'NOT sandboxed';
  const instructions =
    session.instructionFiles.length > 0 ? `, instructions from ${session.instructionFiles.join(', ')}` : '';
  return `loom: ${settings.model.provider}/${settings.model.model}${route} · ${settings.workspace} (${sandbox}${instructions})`;
}

/** The `runAgent` options every local run shares. */
export function sessionRunOptions(
  context: AgentCommandContext,
  session: AgentSession,
): Pick<RunAgentOptions, 'llm' | 'model' | 'system' | 'tools' | 'limits' | 'costOf' | 'logger'> {
  const { settings } = context;
  return {
    llm: session.llm,
    model: settings.model.model,
    system: session.system,
    tools: session.tools,
    limits: {
      maxTurns: settings.maxTurns,
      ...(settings.maxCostUsd === undefined ? {} : { maxCostUsd: settings.maxCostUsd }),
    },
    costOf: (model, usage) => costOfUsage(model, usage, context.prices),
    logger: context.logger,
  };
}
