/**
 * `loom run "<prompt>"`: one task, no questions asked. Steps go to stderr as they happen, the final
 * answer to stdout, and the exit code says whether the agent finished (0), was cancelled (130) or
 * stopped for any other reason (1).
 */
import { runAgent, type AgentRunResult } from '../../agent/index.js';
import type { CliIo } from './cli-io.js';
import { exitCodeFor, formatRunSummary } from './format-run-summary.js';
import { openAgentSession } from './open-agent-session.js';
import { createSilentLogger } from '../../logging/index.js';
import {
  describeSession,
  prepareAgentCommand,
  sessionRunOptions,
  type AgentCommandContext,
} from './prepare-agent-command.js';
import { openConversationLog } from './open-conversation-log.js';
import type { AgentCommandOptions } from './resolve-run-settings.js';
import { watchInterrupts } from './watch-interrupts.js';

export async function runTask(prompt: string, options: AgentCommandOptions, io: CliIo): Promise<number> {
  const context = prepareAgentCommand(options, io, { textOnStdout: false });
  const { renderer, settings } = context;
  const session = await openAgentSession(settings, context.config, context.logger);
  const controller = new AbortController();
  const stopWatching = watchInterrupts(io.signals, {
    cancel: () => {
      renderer.note('loom: cancelling (press Ctrl-C again to quit at once)');
      controller.abort();
    },
    quit: () => {
      renderer.stop();
      io.stderr.write('loom: quit\n');
      process.exit(130);
    },
  });
  const startedAt = Date.now();
  let result: AgentRunResult;
  try {
    renderer.note(describeSession(settings, session));
    result = await runAgent({
      ...sessionRunOptions(context, session),
      prompt,
      signal: controller.signal,
      onEvent: (event) => renderer.onEvent(event),
    });
  } finally {
    renderer.stop();
    stopWatching();
    await session.close();
  }
  if (result.answer.trim() !== '') io.stdout.write(`${result.answer.trimEnd()}\n`);
  io.stderr.write(`loom: ${formatRunSummary(result, Date.now() - startedAt)}\n`);
  await saveConversation(context, result, prompt);
  return exitCodeFor(result);
}

/** Saves the run as a conversation `loom resume` can continue; a store problem only warns. */
async function saveConversation(
  context: AgentCommandContext,
  result: AgentRunResult,
  prompt: string,
): Promise<void> {
  const { io, settings } = context;
  try {
    const opened = await openConversationLog(context.config, createSilentLogger());
    try {
      const id = await opened.log.record({
        conversationId: undefined,
        previousLength: 0,
        result,
        title: prompt,
        workspace: settings.workspace,
        model: `${settings.model.provider}/${settings.model.model}`,
      });
      io.stderr.write(`loom: saved as ${id} (continue with: loom resume ${id})\n`);
    } finally {
      await opened.close();
    }
  } catch (error) {
    io.stderr.write(`loom: warning: the conversation was not saved: ${(error as Error).message}\n`);
  }
}
