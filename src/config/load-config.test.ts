import { describe, expect, it } from 'vitest';
import { isLoomError } from '../errors/index.js';
import { defaultAnthropicModel, defaultOpenAiModel, loadConfig } from './load-config.js';

describe('loadConfig', () => {
  it('starts with no variables at all, every integration off and defaults applied', () => {
    const config = loadConfig({}, { cwd: '/srv/loom' });
    expect(config.port).toBe(3000);
    expect(config.dataDir).toBe('/srv/loom/.loom');
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.redisUrlExplicit).toBe(false);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.weaver).toBe('local');
    expect(config.sandbox).toBe('auto');
    expect(config.github).toBeUndefined();
    expect(config.slack).toBeUndefined();
    expect(config.model).toBeUndefined();
    expect(config.disabledIntegrations.map((entry) => entry.integration)).toEqual([
      'github',
      'slack',
      'models',
    ]);
  });

  it('takes a self-hosted server from its base URL alone, and asks for the model it serves', () => {
    const withoutModel = loadConfig({ OPENAI_BASE_URL: 'http://ollama.internal:11434/v1' });
    expect(withoutModel.model).toBeUndefined();
    expect(withoutModel.disabledIntegrations.find((entry) => entry.integration === 'models')?.reason).toMatch(
      /base URL is set but no LOOM_MODEL/,
    );
    const configured = loadConfig({
      OPENAI_BASE_URL: 'http://ollama.internal:11434/v1',
      LOOM_MODEL: 'openai/llama3.1:70b',
    });
    expect(configured.model).toBe('openai/llama3.1:70b');
    expect(configured.openai).toEqual({ apiKey: undefined, baseUrl: 'http://ollama.internal:11434/v1' });
    expect(configured.disabledIntegrations.map((entry) => entry.integration)).not.toContain('models');
  });

  it('resolves LOOM_MODEL_PRICES against the working directory', () => {
    expect(loadConfig({}, { cwd: '/srv/loom' }).modelPricesFile).toBeUndefined();
    expect(loadConfig({ LOOM_MODEL_PRICES: 'prices.json' }, { cwd: '/srv/loom' }).modelPricesFile).toBe(
      '/srv/loom/prices.json',
    );
    expect(loadConfig({ LOOM_MODEL_PRICES: '/etc/loom/prices.json' }).modelPricesFile).toBe(
      '/etc/loom/prices.json',
    );
  });

  it('uses ~/.loom as the data directory for the CLI role', () => {
    const config = loadConfig({}, { role: 'cli', cwd: '/tmp' });
    expect(config.dataDir.endsWith('/.loom')).toBe(true);
    expect(config.dataDir).not.toBe('/tmp/.loom');
  });

  it('lists every invalid value in one error', () => {
    let caught: unknown;
    try {
      loadConfig({ PORT: 'abc', REDIS_URL: 'http://x', LOOM_WEAVER: 'docker', LOOM_MODEL: 'sonnet' });
    } catch (error) {
      caught = error;
    }
    expect(isLoomError(caught, 'config_invalid')).toBe(true);
    const message = (caught as Error).message;
    for (const name of ['PORT', 'REDIS_URL', 'LOOM_WEAVER', 'LOOM_MODEL']) expect(message).toContain(name);
  });

  it('reads the outbound proxy of provider calls as curl does', () => {
    expect(loadConfig({}).outboundProxy).toBeUndefined();
    expect(loadConfig({ NO_PROXY: 'internal.example' }).outboundProxy).toBeUndefined();
    expect(loadConfig({ HTTPS_PROXY: 'proxy.corp:3128', no_proxy: ' * ' }).outboundProxy).toBeUndefined();
    expect(
      loadConfig({ HTTPS_PROXY: 'proxy.corp:3128', NO_PROXY: '.corp, localhost' }).outboundProxy,
    ).toEqual({ httpsProxy: 'http://proxy.corp:3128', httpProxy: undefined, noProxy: '.corp, localhost' });
    // The lower-case spellings win.
    expect(
      loadConfig({
        HTTP_PROXY: 'http://upper:3128',
        http_proxy: 'http://user:pass@lower:3128',
        NO_PROXY: 'upper.example',
        no_proxy: 'lower.example',
      }).outboundProxy,
    ).toEqual({ httpsProxy: undefined, httpProxy: 'http://user:pass@lower:3128', noProxy: 'lower.example' });
    expect(() => loadConfig({ HTTPS_PROXY: 'ftp://proxy.corp' })).toThrow(
      /HTTPS_PROXY: must be an HTTP proxy URL/,
    );
  });

  it('rejects a DATABASE_URL that is not PostgreSQL', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://localhost/db' })).toThrow(/DATABASE_URL/);
  });

  it('picks the default model from the configured provider key', () => {
    expect(loadConfig({ ANTHROPIC_API_KEY: 'a', OPENAI_API_KEY: 'b' }).model).toBe(defaultAnthropicModel);
    expect(loadConfig({ OPENAI_API_KEY: 'b' }).model).toBe(defaultOpenAiModel);
    expect(loadConfig({ OPENAI_API_KEY: 'b', LOOM_MODEL: 'openai/llama3' }).model).toBe('openai/llama3');
  });

  it('switches GitHub on with a complete app and builds Enterprise URLs from GHE_HOST', () => {
    const config = loadConfig({
      APP_ID: '123',
      PRIVATE_KEY: '-----BEGIN KEY-----\\nabc\\n-----END KEY-----',
      WEBHOOK_SECRET: 'shh',
      GHE_HOST: 'git.example.test:8443',
      GHE_PROTOCOL: 'http',
    });
    expect(config.github?.apiUrl).toBe('http://git.example.test:8443/api/v3');
    expect(config.github?.gitUrl).toBe('http://git.example.test:8443');
    expect(config.github?.privateKey).toContain('\nabc\n');
    expect(config.disabledIntegrations.map((entry) => entry.integration)).not.toContain('github');
  });

  it('switches GitHub off and names what is missing when the app is incomplete', () => {
    const config = loadConfig({ APP_ID: '123' });
    expect(config.github).toBeUndefined();
    const github = config.disabledIntegrations.find((entry) => entry.integration === 'github');
    expect(github?.reason).toContain('WEBHOOK_SECRET');
    expect(github?.reason).not.toContain('APP_ID');
  });

  it('enables Slack in Socket Mode without a signing secret', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' });
    expect(config.slack?.appToken).toBe('xapp-1');
    expect(config.slack?.apiUrl).toBe('https://slack.com/api/');
  });
});
