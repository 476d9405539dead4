/**
 * `loadConfig(env)`: the only reader of the environment. It validates every variable at once and
 * throws one `LoomError('config_invalid')` listing every problem; integrations whose variables are
 * missing are switched off and listed in `disabledIntegrations` for one log line each.
 */
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { LoomError } from '../errors/index.js';
import { environmentSchema, type ParsedEnvironment } from './config-schema.js';
import type { DisabledIntegration, LoomConfig } from './loom-config.js';

export interface LoadConfigOptions {
  /** `service` (server/worker, data dir `.loom`) or `cli` (local commands, data dir `~/.loom`). */
  role?: 'service' | 'cli';
  /** Base for relative paths; the process's working directory by default. */
  cwd?: string;
}

export const defaultAnthropicModel = 'anthropic/claude-sonnet-4-6';
export const defaultOpenAiModel = 'openai/gpt-4.1';

export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  options: LoadConfigOptions = {},
): LoomConfig {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new LoomError('config_invalid', `Invalid configuration:\n  - ${problems.join('\n  - ')}`, {
      details: { problems },
    });
  }
  return toLoomConfig(parsed.data, options);
}

function toLoomConfig(values: ParsedEnvironment, options: LoadConfigOptions): LoomConfig {
  const cwd = options.cwd ?? process.cwd();
  const defaultDataDir = options.role === 'cli' ? resolve(homedir(), '.loom') : '.loom';
  const disabledIntegrations: DisabledIntegration[] = [];
  const github = githubIntegration(values, disabledIntegrations);
  const slack = slackIntegration(values, disabledIntegrations);
  const model = values.LOOM_MODEL ?? defaultModel(values);
  if (model === undefined) {
    disabledIntegrations.push({
      integration: 'models',
      // A base URL alone (Ollama, vLLM) names a server, not a model: there is no default to pick.
      reason:
        values.OPENAI_BASE_URL !== undefined || values.ANTHROPIC_BASE_URL !== undefined
          ? 'a provider base URL is set but no LOOM_MODEL: name the model it serves (for example openai/llama3.1:70b)'
          : 'no ANTHROPIC_API_KEY or OPENAI_API_KEY (and no LOOM_MODEL): agent runs need a model provider',
    });
  }
  return {
    port: values.PORT,
    dataDir: resolve(cwd, values.LOOM_DATA_DIR ?? defaultDataDir),
    databaseUrl: values.DATABASE_URL,
    redisUrl: values.REDIS_URL ?? 'redis://127.0.0.1:6379',
    redisUrlExplicit: values.REDIS_URL !== undefined,
    github,
    slack,
    anthropic: { apiKey: values.ANTHROPIC_API_KEY, baseUrl: values.ANTHROPIC_BASE_URL },
    openai: { apiKey: values.OPENAI_API_KEY, baseUrl: values.OPENAI_BASE_URL },
    outboundProxy: outboundProxy(values),
    model,
    jwtSecret: values.LOOM_JWT_SECRET,
    jwtKeyFiles: {
      privateKeyPath: resolveOptional(cwd, values.LOOM_JWT_PRIVATE_KEY_PATH),
      publicKeyPath: resolveOptional(cwd, values.LOOM_JWT_PUBLIC_KEY_PATH),
    },
    proxyUrl: values.LOOM_PROXY_URL,
    server: { url: values.LOOM_SERVER_URL, token: values.LOOM_TOKEN },
    weaver: values.LOOM_WEAVER,
    sandbox: values.LOOM_SANDBOX,
    kubernetesWeaver: {
      namespace: values.LOOM_WEAVER_NAMESPACE ?? 'loom-weavers',
      image: values.LOOM_WEAVER_IMAGE,
      runtimeClassName: values.LOOM_WEAVER_RUNTIME_CLASS,
      maxConcurrent: values.LOOM_WEAVER_MAX_CONCURRENT,
      warmPoolSize: values.LOOM_WEAVER_WARM_POOL,
      deadlineSeconds: values.LOOM_WEAVER_DEADLINE_SECONDS,
      cpu: values.LOOM_WEAVER_CPU,
      memory: values.LOOM_WEAVER_MEMORY,
      disk: values.LOOM_WEAVER_DISK,
      egressProxyUrl: values.LOOM_WEAVER_EGRESS_PROXY,
    },
    policyFile: values.LOOM_POLICY_FILE === undefined ? undefined : resolve(cwd, values.LOOM_POLICY_FILE),
    modelPricesFile:
      values.LOOM_MODEL_PRICES === undefined ? undefined : resolve(cwd, values.LOOM_MODEL_PRICES),
    workerConcurrency: values.LOOM_WORKER_CONCURRENCY,
    shutdownTimeoutMs: values.LOOM_SHUTDOWN_TIMEOUT_MS,
    logLevel: values.LOOM_LOG_LEVEL,
    disabledIntegrations,
  };
}

function outboundProxy(values: ParsedEnvironment): LoomConfig['outboundProxy'] {
  const httpsProxy = values.https_proxy ?? values.HTTPS_PROXY;
  const httpProxy = values.http_proxy ?? values.HTTP_PROXY;
  const noProxy = values.no_proxy ?? values.NO_PROXY;
  // `*` sends every host direct: no proxy at all (appending loopback to it would undo the wildcard).
  if ((httpsProxy === undefined && httpProxy === undefined) || noProxy?.trim() === '*') return undefined;
  return { httpsProxy, httpProxy, noProxy };
}

function defaultModel(values: ParsedEnvironment): string | undefined {
  if (values.ANTHROPIC_API_KEY !== undefined) return defaultAnthropicModel;
  if (values.OPENAI_API_KEY !== undefined) return defaultOpenAiModel;
  return undefined;
}

function githubIntegration(values: ParsedEnvironment, disabled: DisabledIntegration[]): LoomConfig['github'] {
  const missing = [
    values.APP_ID === undefined ? 'APP_ID' : undefined,
    values.PRIVATE_KEY === undefined && values.PRIVATE_KEY_PATH === undefined
      ? 'PRIVATE_KEY or PRIVATE_KEY_PATH'
      : undefined,
    values.WEBHOOK_SECRET === undefined ? 'WEBHOOK_SECRET' : undefined,
  ].filter((name): name is string => name !== undefined);
  if (missing.length > 0) {
    disabled.push({ integration: 'github', reason: `missing ${missing.join(', ')}` });
    return undefined;
  }
  const protocol = values.GHE_PROTOCOL;
  const host = values.GHE_HOST;
  return {
    appId: values.APP_ID as string,
    privateKey: values.PRIVATE_KEY?.replace(/\\n/g, '\n'),
    privateKeyPath: values.PRIVATE_KEY_PATH,
    webhookSecret: values.WEBHOOK_SECRET as string,
    apiUrl: host === undefined ? 'https://api.github.com' : `${protocol}://${host}/api/v3`,
    gitUrl: host === undefined ? 'https://github.com' : `${protocol}://${host}`,
  };
}

function slackIntegration(values: ParsedEnvironment, disabled: DisabledIntegration[]): LoomConfig['slack'] {
  const missing = [
    values.SLACK_BOT_TOKEN === undefined ? 'SLACK_BOT_TOKEN' : undefined,
    values.SLACK_SIGNING_SECRET === undefined && values.SLACK_APP_TOKEN === undefined
      ? 'SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode)'
      : undefined,
  ].filter((name): name is string => name !== undefined);
  if (missing.length > 0) {
    disabled.push({ integration: 'slack', reason: `missing ${missing.join(', ')}` });
    return undefined;
  }
  return {
    botToken: values.SLACK_BOT_TOKEN as string,
    signingSecret: values.SLACK_SIGNING_SECRET,
    appToken: values.SLACK_APP_TOKEN,
    apiUrl: values.SLACK_API_URL ?? 'https://slack.com/api/',
  };
}

/** A configured file path made absolute against the working directory, or undefined. */
function resolveOptional(cwd: string, path: string | undefined): string | undefined {
  return path === undefined ? undefined : resolve(cwd, path);
}
