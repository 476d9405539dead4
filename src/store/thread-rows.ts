import type { Insertable, Selectable } from 'kysely';
import type { ToolCall } from '../llm/llm-types.js';
import type {
  NewThreadMessage,
  Thread,
  ThreadGit,
  ThreadMessage,
  ThreadSource,
  ThreadStatus,
  ThreadSummary,
  ThreadVisibility,
} from '../threads/index.js';
import type { StoredJson, ThreadMessagesTable, ThreadsTable } from './database-schema.js';
import type { ValueCodec } from './value-codec.js';

/** Converts thread rows to records and back; `codec` carries the dialect's dates and JSON. */
export class ThreadRows {
  constructor(private readonly codec: ValueCodec) {}

  encodeJson(value: unknown): string {
    // The codec's signature says "object"; JSON text of an array is stored the same way.
    return this.codec.encodeJson(value as Record<string, unknown>);
  }

  decodeJson<T>(value: StoredJson): T {
    return (typeof value === 'string' ? JSON.parse(value) : value) as T;
  }

  toSummary(row: Selectable<ThreadsTable>): ThreadSummary {
    return {
      id: row.id,
      version: Number(row.version),
      title: row.title,
      owner: row.owner,
      status: row.status as ThreadStatus,
      visibility: row.visibility as ThreadVisibility,
      repository: row.repository ?? undefined,
      sources: this.decodeJson<ThreadSource[]>(row.sources),
      git: this.decodeJson<ThreadGit>(row.git),
      costUsd: Number(row.cost_usd),
      turns: Number(row.turns),
      runIds: this.decodeJson<string[]>(row.run_ids),
      messageCount: Number(row.message_count),
      createdAt: this.codec.decodeDate(row.created_at),
      updatedAt: this.codec.decodeDate(row.updated_at),
    };
  }

  toThread(row: Selectable<ThreadsTable>, messages: Selectable<ThreadMessagesTable>[]): Thread {
    return {
      ...this.toSummary(row),
      agentState: this.decodeJson<Record<string, unknown>>(row.agent_state),
      messages: messages.map((message) => this.toMessage(message)),
    };
  }

  toMessage(row: Selectable<ThreadMessagesTable>): ThreadMessage {
    const role = row.role as ThreadMessage['role'];
    return {
      seq: Number(row.seq),
      role,
      content: row.content,
      ...(row.tool_calls === null ? {} : { tool_calls: this.decodeJson<ToolCall[]>(row.tool_calls) }),
      ...(row.tool_call_id === null ? {} : { tool_call_id: row.tool_call_id }),
      ...(role === 'tool' ? { is_error: Number(row.is_error) === 1 } : {}),
      ...(row.run_id === null ? {} : { runId: row.run_id }),
      createdAt: this.codec.decodeDate(row.created_at),
    };
  }

  messageRow(
    threadId: string,
    seq: number,
    message: NewThreadMessage,
    now: Date,
    writeId: string | undefined,
  ): Insertable<ThreadMessagesTable> {
    return {
      thread_id: threadId,
      seq,
      role: message.role,
      content: message.content,
      tool_calls:
        message.tool_calls === undefined || message.tool_calls.length === 0
          ? null
          : this.encodeJson(message.tool_calls),
      tool_call_id: message.tool_call_id ?? null,
      is_error: message.is_error === true ? 1 : 0,
      run_id: message.runId ?? null,
      write_id: writeId ?? null,
      created_at: this.codec.encodeDate(message.createdAt ?? now),
    };
  }

  encodeDate(value: Date) {
    return this.codec.encodeDate(value);
  }
}
