/**
 * The model client of a local run: straight to the provider with the keys of this machine, or through
 * a Loom server's proxy when LOOM_SERVER_URL and LOOM_TOKEN are set (then no provider key is needed
 * here, and the server meters and budgets the calls).
 */
import type { LoomConfig } from '../../config/index.js';
import { LoomError } from '../../errors/index.js';
import { createLlmClient, type LlmClient } from '../../llm/index.js';
import { createProxyLlmClient } from '../../proxy/index.js';
import type { RunSettings } from './resolve-run-settings.js';

export function createModelClient(
  settings: Pick<RunSettings, 'model' | 'route'>,
  config: Pick<LoomConfig, 'anthropic' | 'openai'>,
): LlmClient {
  const { provider } = settings.model;
  if (settings.route.kind === 'direct') {
    return createLlmClient({ provider, anthropic: config.anthropic, openai: config.openai });
  }
  if (provider !== 'anthropic' && provider !== 'openai') {
    throw new LoomError(
      'invalid_input',
      `the Loom proxy serves anthropic/* and openai/* models, not "${provider}/${settings.model.model}"`,
    );
  }
  return createProxyLlmClient({ baseUrl: settings.route.serverUrl, token: settings.route.token, provider });
}
