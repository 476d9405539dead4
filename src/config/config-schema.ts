/**
 * The environment contract of DESIGN §4 as a zod schema. Every variable is optional at this level;
 * `loadConfig` turns the parsed values into a `LoomConfig` and decides which integrations are on.
 */
import { z } from 'zod';

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const optionalUrl = (protocols: readonly string[], label: string) =>
  optionalText.refine(
    (value) => {
      if (value === undefined) return true;
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a ${label} URL (${protocols.map((p) => `${p}//`).join(' or ')})` },
  );

/**
 * `HTTPS_PROXY` and friends, as curl reads them: a URL without a scheme (`proxy.corp:3128`) is an
 * HTTP proxy.
 */
const optionalProxyUrl = optionalText
  .transform((value) =>
    value === undefined || /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`,
  )
  .refine(
    (value) => {
      if (value === undefined) return true;
      try {
        return ['http:', 'https:'].includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: 'must be an HTTP proxy URL (http://host:port or https://host:port)' },
  );

const integer = (fallback: number, min: number, max: number) =>
  optionalText.pipe(
    z
      .string()
      .regex(/^\d+$/, { message: 'must be a whole number' })
      .transform(Number)
      .pipe(z.number().int().min(min).max(max))
      .optional()
      .transform((value) => value ?? fallback),
  );

/** A Kubernetes resource quantity such as `500m`, `2`, `4Gi`. */
const quantity = (fallback: string) =>
  optionalText
    .refine((value) => value === undefined || /^\d+(\.\d+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.test(value), {
      message: 'must be a Kubernetes quantity, for example 500m, 2, 4Gi',
    })
    .transform((value) => value ?? fallback);

const choice = <T extends string>(values: readonly [T, ...T[]], fallback: T) =>
  optionalText.pipe(
    z
      .enum(values)
      .optional()
      .transform((value) => value ?? fallback),
  );

const environmentFields = z.object({
  PORT: integer(3000, 0, 65535),
  LOOM_DATA_DIR: optionalText,
  DATABASE_URL: optionalUrl(['postgres:', 'postgresql:'], 'PostgreSQL'),
  REDIS_URL: optionalUrl(['redis:', 'rediss:'], 'Redis'),
  APP_ID: optionalText.refine((value) => value === undefined || /^\d+$/.test(value), {
    message: 'must be the numeric GitHub App id',
  }),
  PRIVATE_KEY: optionalText,
  PRIVATE_KEY_PATH: optionalText,
  WEBHOOK_SECRET: optionalText,
  GHE_HOST: optionalText.refine((value) => value === undefined || !value.includes('/'), {
    message: 'must be a host name (and optional port), without protocol or path',
  }),
  GHE_PROTOCOL: choice(['https', 'http'], 'https'),
  SLACK_BOT_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_API_URL: optionalUrl(['https:', 'http:'], 'HTTP'),
  ANTHROPIC_API_KEY: optionalText,
  ANTHROPIC_BASE_URL: optionalUrl(['https:', 'http:'], 'HTTP'),
  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: optionalUrl(['https:', 'http:'], 'HTTP'),
  /** The outbound HTTP proxy (src/outbound); the lower-case spellings win, as with curl. */
  HTTPS_PROXY: optionalProxyUrl,
  https_proxy: optionalProxyUrl,
  HTTP_PROXY: optionalProxyUrl,
  http_proxy: optionalProxyUrl,
  NO_PROXY: optionalText,
  no_proxy: optionalText,
  /** A JSON file of model prices over the built-in table (src/llm/read-model-prices-file.ts). */
  LOOM_MODEL_PRICES: optionalText,
  LOOM_MODEL: optionalText.refine((value) => value === undefined || /^[a-z][a-z0-9-]*\/.+$/.test(value), {
    message: 'must be provider/model, for example anthropic/claude-sonnet-4-6',
  }),
  LOOM_JWT_SECRET: optionalText.refine((value) => value === undefined || value.length >= 32, {
    message: 'must be at least 32 characters',
  }),
  /** PEM key files for Loom's tokens (Ed25519 → EdDSA, RSA → RS256, P-256 → ES256); override the secret. */
  LOOM_JWT_PRIVATE_KEY_PATH: optionalText,
  LOOM_JWT_PUBLIC_KEY_PATH: optionalText,
  LOOM_PROXY_URL: optionalUrl(['https:', 'http:'], 'HTTP'),
  LOOM_SERVER_URL: optionalUrl(['https:', 'http:'], 'HTTP'),
  LOOM_TOKEN: optionalText,
  LOOM_WEAVER: choice(['local', 'kubernetes'], 'local'),
  LOOM_SANDBOX: choice(['auto', 'off'], 'auto'),
  LOOM_WEAVER_NAMESPACE: optionalText.refine(
    (value) => value === undefined || /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(value),
    { message: 'must be a Kubernetes namespace name' },
  ),
  LOOM_WEAVER_IMAGE: optionalText,
  LOOM_WEAVER_RUNTIME_CLASS: optionalText,
  LOOM_WEAVER_MAX_CONCURRENT: integer(8, 1, 10_000),
  LOOM_WEAVER_WARM_POOL: integer(0, 0, 1000),
  LOOM_WEAVER_DEADLINE_SECONDS: integer(3600, 60, 7 * 24 * 3600),
  LOOM_WEAVER_CPU: quantity('2'),
  LOOM_WEAVER_MEMORY: quantity('4Gi'),
  LOOM_WEAVER_DISK: quantity('10Gi'),
  LOOM_WEAVER_EGRESS_PROXY: optionalUrl(['http:', 'https:'], 'HTTP'),
  LOOM_POLICY_FILE: optionalText,
  LOOM_WORKER_CONCURRENCY: integer(2, 1, 256),
  LOOM_SHUTDOWN_TIMEOUT_MS: integer(8000, 0, 600_000),
  LOOM_LOG_LEVEL: choice(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
});

export const environmentSchema = environmentFields.superRefine((values, context) => {
  // The Kubernetes backend cannot guess which image holds `loom weaver-agent`.
  if (values.LOOM_WEAVER === 'kubernetes' && values.LOOM_WEAVER_IMAGE === undefined)
    context.addIssue({
      code: 'custom',
      path: ['LOOM_WEAVER_IMAGE'],
      message: 'is required when LOOM_WEAVER=kubernetes',
    });
});

export type ParsedEnvironment = z.output<typeof environmentSchema>;
