/**
 * The actions that start work outside the machine (a model call, a backoff timer, tools, the hook).
 * Each reports back through `dispatch`; none of them can reject unhandled.
 */
import type { AgentProgressEvent } from '../agent-progress-event.js';
import { retryDelay } from '../retry/retry-delay.js';
import type { AgentAction } from '../state-machine/agent-action.js';
import type { AgentEvent } from '../state-machine/agent-event.js';
import type { AgentState } from '../state-machine/agent-state.js';
import type { LlmStreamEvent } from '../../llm/llm-types.js';
import type { AgentDriverDeps } from './agent-driver-deps.js';
import { runToolCalls } from './run-tool-calls.js';
import { streamLlmCall } from './stream-llm-call.js';

type AsyncAction = Extract<
  AgentAction,
  { type: 'CallLlm' | 'ScheduleRetry' | 'ExecuteTools' | 'RunPostToolsHook' }
>;

export interface ActionContext {
  deps: AgentDriverDeps;
  /** Aborted by `AbortInFlight`: cancels streams, timers, tools and the hook. */
  signal: AbortSignal;
  dispatch: (event: AgentEvent) => void;
  emit: (event: AgentProgressEvent) => void;
  state: () => AgentState;
}

export function performAsyncAction(action: AsyncAction, context: ActionContext): void {
  const { deps, signal, dispatch } = context;
  switch (action.type) {
    case 'CallLlm':
      void streamLlmCall({
        llm: deps.llm,
        request: action.request,
        signal,
        idleTimeoutMs: deps.idleTimeoutMs,
        onEvent: (event) => dispatch(llmEventOf(event, action.request.model, deps)),
      });
      return;
    case 'ScheduleRetry': {
      const delayMs = retryDelay(
        {
          attempt: action.attempt,
          random: deps.random(),
          ...(action.retryAfterMs === undefined ? {} : { retryAfterMs: action.retryAfterMs }),
        },
        deps.retryPolicy,
      );
      context.emit({
        type: 'retry_scheduled',
        attempt: action.attempt,
        delayMs,
        reason: action.error.message,
        error: action.error,
      });
      deps.sleep(delayMs, signal).then(
        () => {
          if (!signal.aborted) dispatch({ type: 'RetryTimeoutFired', steering: deps.steering.drain() });
        },
        () => undefined, // aborted: the machine has already finished
      );
      return;
    }
    case 'ExecuteTools':
      void runToolCalls({
        calls: action.calls,
        executor: deps.tools,
        signal,
        now: deps.now,
        onStarted: (call, readOnly) => context.emit({ type: 'tool_call_started', call, readOnly }),
        onProgress: (callId, text) => dispatch({ type: 'ToolProgress', callId, text }),
        onCompleted: (callId, result, durationMs) =>
          dispatch({ type: 'ToolCompleted', callId, result, durationMs }),
      });
      return;
    case 'RunPostToolsHook':
      void runPostToolsHook(context);
      return;
  }
}

async function runPostToolsHook(context: ActionContext): Promise<void> {
  const { deps, signal } = context;
  const current = context.state();
  let messages: string[] = [];
  let error: string | undefined;
  try {
    const output = await deps.postToolsHook?.({
      messages: current.context.messages,
      turns: current.context.turns,
      signal,
    });
    messages = output?.messages ?? [];
  } catch (thrown) {
    error = thrown instanceof Error ? thrown.message : String(thrown);
  }
  if (signal.aborted) return;
  context.dispatch({
    type: 'PostToolsHookCompleted',
    messages,
    steering: deps.steering.drain(),
    ...(error === undefined ? {} : { error }),
  });
}

/**
 * Wraps a stream event for the machine, pricing a completed response: at the cost Loom's proxy
 * metered when it says (it alone knows what `default` resolved to and the server's prices), else
 * from the local price table.
 */
function llmEventOf(event: LlmStreamEvent, model: string, deps: AgentDriverDeps): AgentEvent {
  if (event.type !== 'completed') return { type: 'LlmEvent', event };
  if (event.cost_usd !== undefined && Number.isFinite(event.cost_usd) && event.cost_usd >= 0) {
    return { type: 'LlmEvent', event, costUsd: event.cost_usd };
  }
  let costUsd = 0;
  try {
    costUsd = deps.costOf(model, event.response.usage);
  } catch (error) {
    // A pricing bug must not kill a paid-for response; the proxy still enforces budgets.
    deps.logger?.error({ err: error, model }, 'costOf threw; this response is counted at $0');
  }
  return { type: 'LlmEvent', event, costUsd };
}
