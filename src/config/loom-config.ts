/** The validated configuration value every composition root receives. Secrets stay in here only. */
export interface DisabledIntegration {
  integration: 'github' | 'slack' | 'models';
  reason: string;
}

export interface GithubIntegrationConfig {
  appId: string;
  privateKey: string | undefined;
  privateKeyPath: string | undefined;
  webhookSecret: string;
  /** REST API base: `https://api.github.com`, or `{GHE_PROTOCOL}://{GHE_HOST}/api/v3`. */
  apiUrl: string;
  /** Git base: repositories live at `{gitUrl}/{owner}/{repo}.git`. */
  gitUrl: string;
}

export interface SlackIntegrationConfig {
  botToken: string;
  signingSecret: string | undefined;
  /** Set: Socket Mode instead of HTTP events. */
  appToken: string | undefined;
  apiUrl: string;
}

/** The Kubernetes weaver backend (LOOM_WEAVER=kubernetes): one pod per job. */
export interface KubernetesWeaverConfig {
  namespace: string;
  /** Image with `loom weaver-agent`; undefined only when the backend is `local`. */
  image: string | undefined;
  /** e.g. `gvisor` or `kata`; undefined: the cluster's default runtime. */
  runtimeClassName: string | undefined;
  /** Weavers one worker process runs at once; further jobs wait (and are told). */
  maxConcurrent: number;
  /** Ready pods kept waiting to be claimed (0: none). */
  warmPoolSize: number;
  /** `activeDeadlineSeconds` of a job's pod. */
  deadlineSeconds: number;
  /** Container limits as Kubernetes quantities. */
  cpu: string;
  memory: string;
  disk: string;
  /** HTTP(S) proxy the weaver reaches package registries through; undefined: none. */
  egressProxyUrl: string | undefined;
}

/**
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY (or their lower-case spellings): the proxy that provider
 * calls, every `fetch` (GitHub's API, the CLI's calls), the worker's git and Slack's client go
 * through, for a network whose only way out is one (src/outbound). `NO_PROXY=*` leaves it unset.
 */
export interface OutboundProxyConfig {
  /** For `https://` providers; may carry `user:password@`. */
  httpsProxy: string | undefined;
  /** For `http://` providers, and `https://` ones when no HTTPS proxy is set (curl would go direct). */
  httpProxy: string | undefined;
  /** Hosts reached directly: comma-separated names, `.suffix` or `*.suffix`, `host:port`, `*`. */
  noProxy: string | undefined;
}

export interface LoomConfig {
  port: number;
  /** Absolute path of the data directory (SQLite file, private Redis, secrets Loom generates). */
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string;
  /** False when REDIS_URL was not set, which lets `loom start` launch a private redis-server. */
  redisUrlExplicit: boolean;
  github: GithubIntegrationConfig | undefined;
  slack: SlackIntegrationConfig | undefined;
  anthropic: { apiKey: string | undefined; baseUrl: string | undefined };
  openai: { apiKey: string | undefined; baseUrl: string | undefined };
  /** Undefined: everything is reached directly. Optional so hand-built configs stay valid. */
  outboundProxy?: OutboundProxyConfig | undefined;
  /** `provider/model`, or undefined when no model provider is configured. */
  model: string | undefined;
  jwtSecret: string | undefined;
  /**
   * LOOM_JWT_PRIVATE_KEY_PATH / LOOM_JWT_PUBLIC_KEY_PATH: asymmetric token keys, preferred over the
   * secret when set (the private key signs; either key verifies). Optional so hand-built configs stay valid.
   */
  jwtKeyFiles?: { privateKeyPath: string | undefined; publicKeyPath: string | undefined };
  proxyUrl: string | undefined;
  server: { url: string | undefined; token: string | undefined };
  weaver: 'local' | 'kubernetes';
  sandbox: 'auto' | 'off';
  kubernetesWeaver: KubernetesWeaverConfig;
  policyFile: string | undefined;
  /**
   * LOOM_MODEL_PRICES, absolute: prices for models the built-in table lacks (self-hosted ones) or
   * prices otherwise. Optional so hand-built configs stay valid.
   */
  modelPricesFile?: string | undefined;
  workerConcurrency: number;
  shutdownTimeoutMs: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  disabledIntegrations: DisabledIntegration[];
}
