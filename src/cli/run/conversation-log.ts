/**
 * Local conversations as threads in the store: the REPL and `loom run` record every message, so
 * `loom resume [id]` can continue where a session stopped. One thread per conversation, source
 * `{ kind: 'cli' }`; the workspace and model go into the thread's agent state, so a resume reopens
 * the same workspace.
 */
import { randomUUID } from 'node:crypto';
import type { AgentRunResult } from '../../agent/index.js';
import { LoomError } from '../../errors/index.js';
import type { ChatMessage } from '../../llm/index.js';
import { appendToThread, type Thread, type ThreadRepository } from '../../threads/index.js';

export interface Conversation {
  id: string;
  /** The whole transcript so far, as the model sees it. */
  messages: ChatMessage[];
  /** The workspace the conversation worked in, when recorded. */
  workspace: string | undefined;
}

export interface ConversationLog {
  /** A conversation by id, or the newest local one when `id` is undefined; `not_found` otherwise. */
  load(id: string | undefined): Promise<Conversation>;
  /**
   * Records a finished run: creates the thread on the first run (`conversationId` undefined), then
   * appends the messages the run added, its status, cost and turns. Returns the conversation id.
   */
  record(input: RecordRunInput): Promise<string>;
}

export interface RecordRunInput {
  conversationId: string | undefined;
  /** Messages the conversation had before this run (the run's `messages` start with them). */
  previousLength: number;
  result: AgentRunResult;
  /** The first prompt, for a new conversation's title. */
  title: string;
  workspace: string;
  /** `provider/model`. */
  model: string;
}

/** Local threads get a long title cut here; the first prompt is the title. */
const maxTitleLength = 200;

export function createConversationLog(threads: ThreadRepository, owner: string): ConversationLog {
  return {
    async load(id) {
      const thread = id === undefined ? await newestLocalThread(threads, owner) : await threads.get(id);
      if (thread === undefined) {
        throw new LoomError(
          'not_found',
          id === undefined ? 'there is no saved conversation to resume' : `there is no conversation ${id}`,
        );
      }
      const workspace = thread.agentState.workspace;
      return {
        id: thread.id,
        messages: thread.messages.map(toChatMessage),
        workspace: typeof workspace === 'string' ? workspace : undefined,
      };
    },
    async record(input) {
      const agentState = { workspace: input.workspace, model: input.model };
      const id =
        input.conversationId ??
        (
          await threads.create({
            title: input.title.replace(/\s+/g, ' ').trim().slice(0, maxTitleLength),
            owner,
            sources: [{ kind: 'cli', session: randomUUID() }],
            agentState,
          })
        ).id;
      const runId = `run-${randomUUID()}`;
      const messages = input.result.messages
        .slice(input.previousLength)
        .map((message) => ({ ...message, runId }));
      const { result } = input;
      await appendToThread(threads, id, messages, (thread) => ({
        status: result.status,
        runId,
        agentState,
        costUsd: thread.costUsd + result.usage.cost_usd,
        turns: thread.turns + result.turns,
      }));
      return id;
    },
  };
}

async function newestLocalThread(threads: ThreadRepository, owner: string): Promise<Thread | undefined> {
  const page = await threads.list({ source: 'cli', owner }, { limit: 1 });
  const newest = page.threads[0];
  return newest === undefined ? undefined : threads.get(newest.id);
}

function toChatMessage(message: Thread['messages'][number]): ChatMessage {
  return {
    role: message.role,
    content: message.content,
    ...(message.tool_calls === undefined ? {} : { tool_calls: message.tool_calls }),
    ...(message.tool_call_id === undefined ? {} : { tool_call_id: message.tool_call_id }),
    // Only a true flag means something; stores may hand `false` back for every tool message.
    ...(message.is_error === true ? { is_error: true } : {}),
  };
}
