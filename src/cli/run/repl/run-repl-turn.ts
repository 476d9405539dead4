/**
 * One REPL turn: the typed line becomes a `runAgent` call on the conversation so far; text streams
 * to stdout, steps to stderr, and the turn's messages are saved.
 */
import { runAgent, type AgentRunResult } from '../../../agent/index.js';
import type { ChatMessage } from '../../../llm/index.js';
import { formatRunSummary } from '../format-run-summary.js';
import type { AgentSession } from '../open-agent-session.js';
import { sessionRunOptions, type AgentCommandContext } from '../prepare-agent-command.js';
import { createAnswerWriter } from './answer-writer.js';
import type { ConversationLog } from '../conversation-log.js';

export interface ReplState {
  conversationId: string | undefined;
  messages: ChatMessage[];
  /** The turn in progress, to cancel it. */
  turn: AbortController | undefined;
}

export async function runReplTurn(
  context: AgentCommandContext,
  session: AgentSession,
  state: ReplState,
  prompt: string,
  log: ConversationLog | undefined,
): Promise<AgentRunResult> {
  const { io, renderer } = context;
  const answer = createAnswerWriter(io.stdout);
  const controller = new AbortController();
  state.turn = controller;
  const startedAt = Date.now();
  const previousLength = state.messages.length;
  let run: AgentRunResult;
  try {
    run = await runAgent({
      ...sessionRunOptions(context, session),
      ...(previousLength === 0 ? {} : { messages: state.messages }),
      prompt,
      signal: controller.signal,
      onEvent: (event) => {
        // The renderer first: on a terminal it takes the spinner off the line the text goes to.
        if (event.type === 'text_delta') {
          renderer.onEvent(event);
          return answer.write(event.text);
        }
        if (event.type !== 'usage_updated') answer.endLine();
        renderer.onEvent(event);
      },
    });
  } finally {
    state.turn = undefined;
    answer.endLine();
    renderer.stop();
  }
  state.messages = run.messages;
  renderer.note(`loom: ${formatRunSummary(run, Date.now() - startedAt)}`);
  if (log !== undefined) {
    try {
      const id = await log.record({
        conversationId: state.conversationId,
        previousLength,
        result: run,
        title: prompt,
        workspace: context.settings.workspace,
        model: `${context.settings.model.provider}/${context.settings.model.model}`,
      });
      if (state.conversationId === undefined) renderer.note(`loom: saved as ${id}`);
      state.conversationId = id;
    } catch (error) {
      renderer.note(`loom: warning: this turn was not saved: ${(error as Error).message}`);
    }
  }
  return run;
}
