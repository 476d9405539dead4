/**
 * Runs one agent task to its end: builds the machine's configuration, wires the caller's signal and
 * the wall-time limit to `ShutdownRequested`, and lets the driver do the rest. Always resolves with
 * a result (done, failed, cancelled, over-budget); rejects only for invalid options.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { LoomError } from '../../errors/index.js';
import type { AgentRunResult } from '../agent-run-result.js';
import { defaultRetryPolicy } from '../retry/retry-delay.js';
import type { AgentConfig } from '../state-machine/agent-state.js';
import { createInitialState } from '../state-machine/agent-state.js';
import { createAgentDriver } from './agent-driver.js';
import type { AgentDriverDeps } from './agent-driver-deps.js';
import type { RunAgentOptions } from './run-agent-options.js';

export const runAgentDefaults = { maxTurns: 100, maxRetries: 5, idleTimeoutMs: 120_000 } as const;

export async function runAgent(options: RunAgentOptions): Promise<AgentRunResult> {
  validate(options);
  const resumed = options.messages ?? [];
  const driver = createAgentDriver(driverDeps(options), createInitialState(agentConfig(options), resumed));
  const onAbort = (): void => driver.dispatch({ type: 'ShutdownRequested', cause: 'cancelled' });
  const wallTimeMs = options.limits?.maxWallTimeMs;
  const wallTimer =
    wallTimeMs === undefined
      ? undefined
      : setTimeout(() => driver.dispatch({ type: 'ShutdownRequested', cause: 'wall_time' }), wallTimeMs);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    emitSafely(options, { type: 'run_started', model: options.model, resumedMessages: resumed.length });
    if (options.signal?.aborted) onAbort();
    driver.dispatch({
      type: 'UserInput',
      texts: options.prompt === undefined ? [] : [options.prompt],
      steering: false,
    });
    return await driver.result;
  } finally {
    clearTimeout(wallTimer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

function validate(options: RunAgentOptions): void {
  if (options.prompt === undefined && (options.messages ?? []).length === 0) {
    throw new LoomError('invalid_input', 'runAgent needs a prompt or a transcript to resume');
  }
  if (options.limits?.maxCostUsd !== undefined && options.costOf === undefined) {
    throw new LoomError('invalid_input', 'limits.maxCostUsd needs costOf to price responses');
  }
}

function agentConfig(options: RunAgentOptions): AgentConfig {
  const limits = options.limits ?? {};
  return {
    model: options.model,
    ...(options.system === undefined ? {} : { system: options.system }),
    tools: options.tools.definitions(),
    ...(options.maxOutputTokens === undefined ? {} : { maxOutputTokens: options.maxOutputTokens }),
    ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
    maxRetries: options.maxRetries ?? runAgentDefaults.maxRetries,
    maxTurns: limits.maxTurns ?? runAgentDefaults.maxTurns,
    ...(limits.maxTokens === undefined ? {} : { maxTokens: limits.maxTokens }),
    ...(limits.maxCostUsd === undefined ? {} : { maxCostUsd: limits.maxCostUsd }),
    ...(limits.maxWallTimeMs === undefined ? {} : { maxWallTimeMs: limits.maxWallTimeMs }),
  };
}

function driverDeps(options: RunAgentOptions): AgentDriverDeps {
  return {
    llm: options.llm,
    tools: options.tools,
    costOf: options.costOf ?? (() => 0),
    steering: options.steering ?? { drain: () => [] },
    onEvent: options.onEvent ?? (() => undefined),
    postToolsHook: options.postToolsHook,
    idleTimeoutMs: options.idleTimeoutMs ?? runAgentDefaults.idleTimeoutMs,
    retryPolicy: options.retryPolicy ?? defaultRetryPolicy,
    sleep: options.sleep ?? ((ms, signal) => delay(ms, undefined, { signal })),
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
    logger: options.logger,
  };
}

function emitSafely(
  options: RunAgentOptions,
  event: Parameters<NonNullable<RunAgentOptions['onEvent']>>[0],
): void {
  try {
    options.onEvent?.(event);
  } catch (error) {
    options.logger?.warn({ err: error, event: event.type }, 'progress reporter threw; the run goes on');
  }
}
