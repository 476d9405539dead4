/**
 * The REPL (`loom`, `loom resume [id]`): one agent session, one conversation, one `runAgent` per
 * line typed. Answers stream to stdout, steps to stderr; Ctrl-C cancels the turn in progress; every
 * finished turn is saved so the conversation can be resumed.
 */
import readline from 'node:readline';
import { loadConfig, type LoomConfig } from '../../../config/index.js';
import type { ChatMessage } from '../../../llm/index.js';
import { createSilentLogger } from '../../../logging/index.js';
import type { CliIo } from '../cli-io.js';
import { openAgentSession, type AgentSession } from '../open-agent-session.js';
import { describeSession, prepareAgentCommand, type AgentCommandContext } from '../prepare-agent-command.js';
import type { AgentCommandOptions } from '../resolve-run-settings.js';
import { openConversationLog, type OpenedConversationLog } from '../open-conversation-log.js';
import { parseReplInput, replHelp } from './parse-repl-input.js';
import { runReplTurn, type ReplState } from './run-repl-turn.js';

export interface ReplOptions extends AgentCommandOptions {
  /** Resume a saved conversation: its id, or `latest` for the newest one. */
  resume?: string;
}

export async function runRepl(options: ReplOptions, io: CliIo): Promise<number> {
  const config = loadConfig(io.env, { role: 'cli' });
  const opened = await openLog(options, io, config);
  const state: ReplState = { conversationId: undefined, messages: [], turn: undefined };
  let session: AgentSession | undefined;
  try {
    if (options.resume !== undefined && opened !== undefined) {
      const conversation = await opened.log.load(options.resume === 'latest' ? undefined : options.resume);
      state.conversationId = conversation.id;
      state.messages = conversation.messages;
      options = { ...options, workspace: options.workspace ?? conversation.workspace };
    }
    const context = prepareAgentCommand(options, io, { textOnStdout: true }, config);
    session = await openAgentSession(context.settings, context.config, context.logger);
    greet(context, session, state);
    await readLoop(context, session, state, opened);
  } finally {
    await session?.close();
    await opened?.close();
  }
  if (state.conversationId !== undefined) {
    io.stderr.write(`loom: continue this conversation with: loom resume ${state.conversationId}\n`);
  }
  return 0;
}

async function openLog(
  options: ReplOptions,
  io: CliIo,
  config: LoomConfig,
): Promise<OpenedConversationLog | undefined> {
  try {
    return await openConversationLog(config, createSilentLogger());
  } catch (error) {
    // Resuming needs the store; a new conversation can go on without being saved.
    if (options.resume !== undefined) throw error;
    io.stderr.write(`loom: warning: conversations will not be saved: ${(error as Error).message}\n`);
    return undefined;
  }
}

function greet(context: AgentCommandContext, session: AgentSession, state: ReplState): void {
  const { renderer } = context;
  renderer.note(describeSession(context.settings, session));
  if (state.conversationId !== undefined) {
    renderer.note(`loom: resumed ${state.conversationId} (${state.messages.length} messages)`);
    const lastAnswer = [...state.messages].reverse().find(isAnswer);
    if (lastAnswer !== undefined) renderer.note(`loom: last answer: ${lastAnswer.content.trim()}`);
  }
  renderer.note('loom: type a task, /help for commands, /exit to quit');
}

function isAnswer(message: ChatMessage): boolean {
  return message.role === 'assistant' && message.content.trim() !== '';
}

async function readLoop(
  context: AgentCommandContext,
  session: AgentSession,
  state: ReplState,
  opened: OpenedConversationLog | undefined,
): Promise<void> {
  const { io } = context;
  const tty = io.stdin.isTTY === true && io.stdout.isTTY === true;
  const lines = readline.createInterface({ input: io.stdin, output: io.stdout, terminal: tty, prompt: '› ' });
  let armedToQuit = false;
  const interrupt = (): void => {
    if (state.turn !== undefined) {
      state.turn.abort();
      return;
    }
    if (tty && !armedToQuit) {
      armedToQuit = true;
      io.stdout.write('\n(press Ctrl-C again or type /exit to quit)\n');
      lines.prompt();
      return;
    }
    lines.close();
  };
  const terminate = (): void => {
    state.turn?.abort();
    lines.close();
  };
  lines.on('SIGINT', interrupt);
  io.signals.on('SIGINT', interrupt);
  io.signals.on('SIGTERM', terminate);
  const prompt = (): void => {
    if (tty) lines.prompt();
  };
  try {
    prompt();
    for await (const line of lines) {
      armedToQuit = false;
      const input = parseReplInput(line);
      if (input.kind === 'command' && input.command === 'exit') break;
      if (input.kind === 'command' && input.command === 'help') io.stdout.write(`${replHelp}\n`);
      if (input.kind === 'command' && input.command === 'id') {
        io.stdout.write(`${state.conversationId ?? '(not saved yet: nothing asked so far)'}\n`);
      }
      if (input.kind === 'command' && input.command === 'new') {
        Object.assign(state, { conversationId: undefined, messages: [] });
        io.stdout.write('(new conversation)\n');
      }
      if (input.kind === 'unknown-command') {
        io.stdout.write(`unknown command ${input.name} (/help lists them; start with // to send a slash)\n`);
      }
      if (input.kind === 'prompt') {
        await runReplTurn(context, session, state, input.text, opened?.log);
      }
      prompt();
    }
  } finally {
    lines.off('SIGINT', interrupt);
    io.signals.off('SIGINT', interrupt);
    io.signals.off('SIGTERM', terminate);
    lines.close();
  }
}
