/**
 * Defence in depth for the local CLI: whatever a tool prints, the values of this process's secrets
 * (provider keys, the Loom token) are cut out before the model sees them. The sandbox is the real
 * boundary; this also covers `--no-sandbox`, where `bash` can read this process's environment.
 */
import type { LoomConfig } from '../../config/index.js';
import type { ToolExecutor } from '../../tools/index.js';

export const redactionMarker = '[redacted]';

/** Shorter values are not secrets worth the false positives of cutting them out everywhere. */
const minimumSecretLength = 8;

/** The secret values a configuration holds. */
export function secretsOf(config: LoomConfig): string[] {
  const candidates = [
    config.anthropic.apiKey,
    config.openai.apiKey,
    config.server.token,
    config.jwtSecret,
    config.github?.privateKey,
    config.github?.webhookSecret,
    config.slack?.botToken,
    config.slack?.signingSecret,
    config.slack?.appToken,
  ];
  return [
    ...new Set(candidates.filter((value): value is string => (value ?? '').length >= minimumSecretLength)),
  ];
}

/** `text` with every occurrence of every secret replaced by the marker (longest secrets first). */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let redacted = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length >= minimumSecretLength) redacted = redacted.split(secret).join(redactionMarker);
  }
  return redacted;
}

/** The executor with tool output and progress text passed through `redactSecrets`. */
export function withSecretRedaction(executor: ToolExecutor, secrets: readonly string[]): ToolExecutor {
  if (secrets.length === 0) return executor;
  return {
    definitions: () => executor.definitions(),
    isReadOnly: (toolName) => executor.isReadOnly(toolName),
    async execute(call, options) {
      const onProgress = options.onProgress;
      const result = await executor.execute(call, {
        signal: options.signal,
        ...(onProgress === undefined
          ? {}
          : { onProgress: (text: string) => onProgress(redactSecrets(text, secrets)) }),
      });
      return { ...result, output: redactSecrets(result.output, secrets) };
    },
  };
}
