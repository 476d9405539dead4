import { describe, expect, it } from 'vitest';
import { createToolRegistry, type Tool } from '../../tools/index.js';
import { z } from 'zod';
import { redactSecrets, redactionMarker, withSecretRedaction } from './redact-secrets.js';

describe('redactSecrets', () => {
  it('replaces every occurrence of every secret, longest first', () => {
    const text = 'KEY=sk-ant-abcdefgh123 TOKEN=sk-ant-abcdefgh again sk-ant-abcdefgh123';
    expect(redactSecrets(text, ['sk-ant-abcdefgh', 'sk-ant-abcdefgh123'])).toBe(
      `KEY=${redactionMarker} TOKEN=${redactionMarker} again ${redactionMarker}`,
    );
  });

  it('ignores values too short to be secrets', () => {
    expect(redactSecrets('a b c abc', ['abc'])).toBe('a b c abc');
  });
});

describe('withSecretRedaction', () => {
  it('cuts the secrets out of tool output and progress before anyone sees them', async () => {
    const leaky: Tool<{ text: string }> = {
      name: 'echo',
      description: 'echoes',
      inputSchema: z.object({ text: z.string() }),
      readOnly: true,
      async execute(input, context) {
        context.onProgress?.(`progress ${input.text}`);
        return { output: `output ${input.text}`, isError: false };
      },
    };
    const executor = withSecretRedaction(createToolRegistry({ workspace: '/tmp', tools: [leaky as Tool] }), [
      'secret-value-123',
    ]);
    const progress: string[] = [];
    const result = await executor.execute(
      { id: 'c1', name: 'echo', arguments: { text: 'secret-value-123' } },
      { signal: new AbortController().signal, onProgress: (text) => progress.push(text) },
    );
    expect(result.output).toBe(`output ${redactionMarker}`);
    expect(progress).toEqual([`progress ${redactionMarker}`]);
    expect(executor.isReadOnly('echo')).toBe(true);
    expect(executor.definitions().map((definition) => definition.name)).toEqual(['echo']);
  });
});
