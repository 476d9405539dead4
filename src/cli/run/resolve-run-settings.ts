/**
 * What `loom run` and the REPL will do, decided from the command's options and the configuration:
 * pure, so every rule (model precedence, proxy or direct, sandbox, limits) is a unit test.
 */
import path from 'node:path';
import type { LoomConfig } from '../../config/index.js';
import { LoomError } from '../../errors/index.js';
import { parseModelRef, type ModelRef } from '../../llm/index.js';

/** Options shared by `loom run`, `loom` (REPL) and `loom resume`, as commander parsed them. */
export interface AgentCommandOptions {
  workspace?: string;
  model?: string;
  maxTurns?: number;
  maxCostUsd?: number;
  /** `--no-sandbox` sets it to false. */
  sandbox?: boolean;
}

export interface RunSettings {
  /** Absolute workspace directory on this machine. */
  workspace: string;
  model: ModelRef;
  /** `proxy`: model calls go through a Loom server (LOOM_SERVER_URL + LOOM_TOKEN). */
  route: { kind: 'direct' } | { kind: 'proxy'; serverUrl: string; token: string };
  sandbox: 'auto' | 'off';
  maxTurns: number;
  maxCostUsd: number | undefined;
}

/** A runaway guard, not a budget: real tasks in this codebase take 10–30 model turns. */
export const defaultMaxTurns = 50;

/** With a Loom server, the server decides what `default` means (DESIGN: proxy model resolution). */
const proxyDefaultModel: ModelRef = { provider: 'anthropic', model: 'default' };

export function resolveRunSettings(
  options: AgentCommandOptions,
  config: Pick<LoomConfig, 'model' | 'server' | 'sandbox'>,
  cwd: string,
): RunSettings {
  const { url, token } = config.server;
  const route: RunSettings['route'] =
    url !== undefined && token !== undefined ? { kind: 'proxy', serverUrl: url, token } : { kind: 'direct' };
  return {
    workspace: path.resolve(cwd, options.workspace ?? '.'),
    model: resolveModel(options.model ?? config.model, route.kind),
    route,
    sandbox: options.sandbox === false ? 'off' : config.sandbox,
    maxTurns: options.maxTurns ?? defaultMaxTurns,
    maxCostUsd: options.maxCostUsd,
  };
}

function resolveModel(text: string | undefined, route: 'direct' | 'proxy'): ModelRef {
  if (text === undefined) {
    if (route === 'proxy') return proxyDefaultModel;
    throw new LoomError(
      'config_invalid',
      'no model to use: set ANTHROPIC_API_KEY or OPENAI_API_KEY, or LOOM_MODEL=provider/model, or pass --model',
    );
  }
  return resolveModelRef(text);
}

/**
 * `provider/model`, or a bare model name whose family gives the provider away (`claude-*` →
 * anthropic; `gpt-*`, `o1`/`o3`/`o4*` → openai), which is what people type.
 */
export function resolveModelRef(text: string): ModelRef {
  const trimmed = text.trim();
  if (!trimmed.includes('/')) {
    if (trimmed.startsWith('claude-')) return { provider: 'anthropic', model: trimmed };
    if (/^(gpt-|chatgpt-|o[134](-|$))/.test(trimmed)) return { provider: 'openai', model: trimmed };
  }
  return parseModelRef(trimmed);
}
