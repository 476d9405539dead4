import { LoomError } from '../errors/index.js';

export interface ModelRef {
  /** `anthropic`, `openai`, ... */
  provider: string;
  /** The provider's model name; it may itself contain `/` (vLLM serves `meta-llama/Llama-3.1-8B`). */
  model: string;
}

/**
 * Splits `LOOM_MODEL` (or `--model`) at its first `/`: `anthropic/claude-sonnet-4-6` →
 * `{ provider: 'anthropic', model: 'claude-sonnet-4-6' }`. Only the syntax is checked here; whether
 * the provider is known is `createLlmClient`'s call.
 */
export function parseModelRef(ref: string): ModelRef {
  const trimmed = ref.trim();
  const slash = trimmed.indexOf('/');
  const provider = slash === -1 ? '' : trimmed.slice(0, slash);
  const model = slash === -1 ? '' : trimmed.slice(slash + 1).trim();
  if (!/^[a-z][a-z0-9-]*$/.test(provider) || model === '') {
    throw new LoomError(
      'invalid_input',
      `model "${ref}" is not provider/model (for example anthropic/claude-sonnet-4-6 or openai/gpt-4.1)`,
      { details: { model: ref } },
    );
  }
  return { provider, model };
}
