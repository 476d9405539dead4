export { loadConfig, defaultAnthropicModel, defaultOpenAiModel } from './load-config.js';
export type { LoadConfigOptions } from './load-config.js';
export type {
  LoomConfig,
  DisabledIntegration,
  GithubIntegrationConfig,
  KubernetesWeaverConfig,
  OutboundProxyConfig,
  SlackIntegrationConfig,
} from './loom-config.js';
