/**
 * `ExecutingTools`: results arrive in any order (read-only calls run together); the transcript gets
 * them in call order once all are in. Facts for the report (files, commands) are recorded as each
 * result arrives, so a run cancelled mid-tools still reports what already happened.
 */
import type { ToolResult } from '../../tools/tool-types.js';
import type { Transition } from './agent-action.js';
import type { AgentEvent } from './agent-event.js';
import type { AgentContext, AgentState } from './agent-state.js';
import { ignoreEvent } from './ignore-event.js';
import { shutDown } from './shut-down.js';
import { toolMessage } from './transcript.js';

type ExecutingState = Extract<AgentState, { name: 'ExecutingTools' }>;

export function onExecutingTools(state: ExecutingState, event: AgentEvent): Transition {
  switch (event.type) {
    case 'ToolProgress':
      if (!state.calls.some((call) => call.id === event.callId)) return ignoreEvent(state, event);
      return {
        state,
        actions: [
          { type: 'EmitProgress', event: { type: 'tool_progress', callId: event.callId, text: event.text } },
        ],
      };
    case 'ToolCompleted':
      return onToolCompleted(state, event);
    case 'ShutdownRequested':
      return shutDown(state, event.cause);
    default:
      return ignoreEvent(state, event);
  }
}

function onToolCompleted(
  state: ExecutingState,
  event: Extract<AgentEvent, { type: 'ToolCompleted' }>,
): Transition {
  const call = state.calls.find((candidate) => candidate.id === event.callId);
  if (!call || state.results[call.id] !== undefined) return ignoreEvent(state, event);
  const results = { ...state.results, [call.id]: event.result };
  const context = recordToolFacts(state.context, event.result);
  const finished = {
    type: 'EmitProgress' as const,
    event: {
      type: 'tool_call_finished' as const,
      call,
      isError: event.result.isError,
      durationMs: event.durationMs,
    },
  };
  if (!state.calls.every((candidate) => results[candidate.id] !== undefined)) {
    return { state: { ...state, context, results }, actions: [finished] };
  }
  const messages = [
    ...context.messages,
    ...state.calls.map((candidate) => toolMessage(candidate, results[candidate.id] as ToolResult)),
  ];
  return {
    state: { name: 'PostToolsHook', context: { ...context, messages } },
    actions: [finished, { type: 'RunPostToolsHook' }],
  };
}

function recordToolFacts(context: AgentContext, result: ToolResult): AgentContext {
  const metadata = result.metadata;
  if (!metadata) return context;
  const newFiles = (metadata.filesChanged ?? []).filter((file) => !context.filesChanged.includes(file));
  const commands =
    metadata.command === undefined
      ? context.commands
      : [
          ...context.commands,
          {
            command: metadata.command,
            exitCode: metadata.exitCode ?? null,
            timedOut: metadata.timedOut ?? false,
          },
        ];
  return { ...context, filesChanged: [...context.filesChanged, ...new Set(newFiles)], commands };
}
