/**
 * The JSON shapes of the threads API, validated on both sides: the server checks what `PUT` receives,
 * the client checks what the server answers. Dates travel as ISO-8601 strings.
 */
import { z } from 'zod';
import { threadSourceKinds, threadStatuses, threadVisibilities } from './thread-types.js';

const isoDate = z.iso.datetime({ offset: true }).transform((value) => new Date(value));
const repositoryName = z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'must be owner/name');

export const threadSourceSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('slack'),
    teamId: z.string().min(1),
    channelId: z.string().min(1),
    threadTs: z.string().min(1),
  }),
  z.object({
    kind: z.literal('github'),
    repository: repositoryName,
    number: z.number().int().positive(),
    type: z.enum(['issue', 'pull_request']),
  }),
  z.object({ kind: z.literal('chore'), repository: repositoryName, chore: z.string().min(1) }),
  z.object({ kind: z.literal('cli'), session: z.string().min(1) }),
]);

export const threadGitSchema = z.object({
  branch: z.string().min(1).optional(),
  base: z.string().min(1).optional(),
  commits: z.array(z.string().regex(/^[0-9a-f]{7,64}$/, 'must be a commit SHA')),
  pullRequest: z.number().int().positive().optional(),
});

const toolCallSchema = z.object({
  id: z.string(),
  name: z.string().min(1),
  arguments: z.record(z.string(), z.unknown()),
});

const chatMessageShape = {
  role: z.enum(['user', 'assistant', 'tool']),
  content: z.string(),
  tool_calls: z.array(toolCallSchema).optional(),
  tool_call_id: z.string().optional(),
  is_error: z.boolean().optional(),
  runId: z.string().min(1).optional(),
};

/** A message as `PUT` sends it (`createdAt` optional: the server's clock otherwise). */
export const newThreadMessageSchema = z.object({ ...chatMessageShape, createdAt: isoDate.optional() });

/** The body of `PUT /api/threads/{id}`: a thread's whole content. */
export const threadContentSchema = z.object({
  title: z.string().trim().min(1).max(500),
  /** Only an admin token may set it; a user token's subject always owns what it writes. */
  owner: z.string().min(1).optional(),
  status: z.enum(threadStatuses),
  visibility: z.enum(threadVisibilities),
  repository: repositoryName.optional(),
  sources: z.array(threadSourceSchema).max(100),
  git: threadGitSchema,
  agentState: z.record(z.string(), z.unknown()),
  costUsd: z.number().nonnegative(),
  turns: z.number().int().nonnegative(),
  runIds: z.array(z.string().min(1)).max(10_000),
  messages: z.array(newThreadMessageSchema).max(100_000),
  createdAt: isoDate.optional(),
});

export const threadSummarySchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  title: z.string(),
  owner: z.string(),
  status: z.enum(threadStatuses),
  visibility: z.enum(threadVisibilities),
  repository: z.string().optional(),
  sources: z.array(threadSourceSchema),
  git: threadGitSchema,
  costUsd: z.number(),
  turns: z.number(),
  runIds: z.array(z.string()),
  messageCount: z.number().int(),
  createdAt: isoDate,
  updatedAt: isoDate,
});

export const threadSchema = threadSummarySchema.extend({
  agentState: z.record(z.string(), z.unknown()),
  messages: z.array(newThreadMessageSchema.extend({ seq: z.number().int(), createdAt: isoDate })),
});

export const threadPageSchema = z.object({
  threads: z.array(threadSummarySchema),
  nextCursor: z.string().optional(),
});

export const threadSearchPageSchema = z.object({
  hits: z.array(
    z.object({
      thread: threadSummarySchema,
      score: z.number(),
      messageSeq: z.number().int().optional(),
      snippet: z.object({
        text: z.string(),
        highlights: z.array(z.tuple([z.number().int(), z.number().int()])),
      }),
    }),
  ),
  nextCursor: z.string().optional(),
});

/** Query parameters shared by listing and search. */
export const threadQuerySchema = z.object({
  repository: z.string().min(1).optional(),
  source: z.enum(threadSourceKinds).optional(),
  status: z.enum(threadStatuses).optional(),
  owner: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: z.string().min(1).max(2000).optional(),
});
