/**
 * Everything a local agent run needs, opened once per command: the tools in a local weaver
 * (bubblewrap unless the sandbox is off), the system prompt with the repository's instructions, and
 * the model client. The REPL keeps one session for all its turns.
 */
import { stat } from 'node:fs/promises';
import type { LoomConfig } from '../../config/index.js';
import { LoomError } from '../../errors/index.js';
import type { LlmClient } from '../../llm/index.js';
import type { Logger } from '../../logging/index.js';
import { buildSystemPrompt, loadRepositoryInstructions, workspaceFileReader } from '../../prompt/index.js';
import type { ToolExecutor } from '../../tools/index.js';
import { createLocalWeaver } from '../../weaver/index.js';
import { createModelClient } from './create-model-client.js';
import { secretsOf, withSecretRedaction } from './redact-secrets.js';
import type { RunSettings } from './resolve-run-settings.js';

export interface AgentSession {
  llm: LlmClient;
  tools: ToolExecutor;
  system: string;
  /** True when the tools run inside bubblewrap. */
  sandboxed: boolean;
  /** Repository instruction files found (`AGENTS.md`, ...). */
  instructionFiles: string[];
  close(): Promise<void>;
}

export async function openAgentSession(
  settings: RunSettings,
  config: LoomConfig,
  logger: Logger,
): Promise<AgentSession> {
  await assertDirectory(settings.workspace);
  // The model client first: a missing key should fail before a weaver is started.
  const llm = createModelClient(settings, config);
  const instructions = await loadRepositoryInstructions(workspaceFileReader(settings.workspace));
  const weaver = await createLocalWeaver({
    workspaceDir: settings.workspace,
    sandbox: settings.sandbox,
    dataDir: config.dataDir,
    logger,
  });
  return {
    llm,
    tools: withSecretRedaction(weaver, secretsOf(config)),
    system: buildSystemPrompt({ workspace: weaver.workspace, instructions }),
    sandboxed: weaver.sandboxed,
    instructionFiles: instructions.map((entry) => entry.path),
    close: () => weaver.close(),
  };
}

async function assertDirectory(workspace: string): Promise<void> {
  const info = await stat(workspace).catch(() => undefined);
  if (info?.isDirectory() !== true) {
    throw new LoomError('invalid_input', `workspace ${workspace} is not a directory`);
  }
}
