import { describe, expect, it } from 'vitest';
import { isLoomError } from '../../errors/index.js';
import { defaultMaxTurns, resolveModelRef, resolveRunSettings } from './resolve-run-settings.js';

const config = {
  model: 'anthropic/claude-sonnet-4-6' as string | undefined,
  server: { url: undefined as string | undefined, token: undefined as string | undefined },
  sandbox: 'auto' as const,
};

describe('resolveRunSettings', () => {
  it('takes --model over the configured model (LOOM_MODEL or the default)', () => {
    expect(resolveRunSettings({ model: 'openai/gpt-4.1' }, config, '/w').model).toEqual({
      provider: 'openai',
      model: 'gpt-4.1',
    });
    expect(resolveRunSettings({}, config, '/w').model).toEqual({
      provider: 'anthropic',
      model: 'claude-sonnet-4-6',
    });
  });

  it('resolves the workspace against the working directory and defaults to it', () => {
    expect(resolveRunSettings({}, config, '/home/dev/app').workspace).toBe('/home/dev/app');
    expect(resolveRunSettings({ workspace: '../lib' }, config, '/home/dev/app').workspace).toBe(
      '/home/dev/lib',
    );
  });

  it('turns the sandbox off with --no-sandbox or LOOM_SANDBOX=off, and is auto otherwise', () => {
    expect(resolveRunSettings({}, config, '/w').sandbox).toBe('auto');
    expect(resolveRunSettings({ sandbox: true }, config, '/w').sandbox).toBe('auto');
    expect(resolveRunSettings({ sandbox: false }, config, '/w').sandbox).toBe('off');
    expect(resolveRunSettings({ sandbox: true }, { ...config, sandbox: 'off' }, '/w').sandbox).toBe('off');
  });

  it('defaults to a runaway guard of 50 turns and takes --max-turns', () => {
    expect(defaultMaxTurns).toBe(50);
    expect(resolveRunSettings({}, config, '/w').maxTurns).toBe(50);
    expect(resolveRunSettings({ maxTurns: 7 }, config, '/w').maxTurns).toBe(7);
  });

  it('goes through the proxy only when both LOOM_SERVER_URL and LOOM_TOKEN are set', () => {
    const server = { url: 'https://loom.example.com', token: 'jwt' };
    expect(resolveRunSettings({}, { ...config, server }, '/w').route).toEqual({
      kind: 'proxy',
      serverUrl: 'https://loom.example.com',
      token: 'jwt',
    });
    expect(
      resolveRunSettings({}, { ...config, server: { ...server, token: undefined } }, '/w').route,
    ).toEqual({
      kind: 'direct',
    });
  });

  it('lets the Loom server pick the model when none is configured, and refuses without one otherwise', () => {
    const server = { url: 'https://loom.example.com', token: 'jwt' };
    expect(resolveRunSettings({}, { ...config, model: undefined, server }, '/w').model).toEqual({
      provider: 'anthropic',
      model: 'default',
    });
    let caught: unknown;
    try {
      resolveRunSettings({}, { ...config, model: undefined }, '/w');
    } catch (error) {
      caught = error;
    }
    expect(isLoomError(caught, 'config_invalid')).toBe(true);
  });
});

describe('resolveModelRef', () => {
  it('accepts provider/model, keeping slashes in the model name', () => {
    expect(resolveModelRef('openai/meta-llama/Llama-3.1-8B')).toEqual({
      provider: 'openai',
      model: 'meta-llama/Llama-3.1-8B',
    });
  });

  it('infers the provider of a bare Claude or GPT model name', () => {
    expect(resolveModelRef('claude-haiku-4-5')).toEqual({ provider: 'anthropic', model: 'claude-haiku-4-5' });
    expect(resolveModelRef('gpt-4.1-mini')).toEqual({ provider: 'openai', model: 'gpt-4.1-mini' });
    expect(resolveModelRef('o3')).toEqual({ provider: 'openai', model: 'o3' });
  });

  it('refuses a bare name of no known family', () => {
    expect(() => resolveModelRef('llama3')).toThrow(/provider\/model/);
  });
});
