/**
 * `loom token create`: mints a proxy token on this machine and prints it; `loom token revoke <jti>`
 * records a revocation in the server's store. `create` needs neither Redis nor
 * a running server: it signs with LOOM_JWT_SECRET, or with the secret the server keeps in
 * `<LOOM_DATA_DIR>/jwt-secret` (created on first use), or with `--private-key` /
 * LOOM_JWT_PRIVATE_KEY_PATH (Ed25519, RSA, P-256).
 * Run it where the server runs (same LOOM_DATA_DIR) so both use the same secret.
 */
import { InvalidArgumentError, type Command } from 'commander';

interface CreateOptions {
  subject: string;
  role: 'user' | 'admin';
  ttl: string;
  budgetUsd?: number;
  models?: string[];
  job?: string;
  privateKey?: string;
  json?: boolean;
}

export function registerTokenCommand(program: Command): void {
  const token = program.command('token').description('Proxy tokens (JWTs) for the LLM proxy');
  token
    .command('create')
    .description('Print a new proxy token')
    .requiredOption('--subject <subject>', 'who the token is for (a user, a job, a service)', parseName)
    .option('--role <role>', 'user or admin', parseRole, 'user')
    .option('--ttl <ttl>', 'lifetime: 90s, 15m, 1h, 7d (at most 30d)', '1h')
    .option('--budget-usd <usd>', 'spend ceiling across every call made with the token', parseBudget)
    .option(
      '--models <list>',
      'comma-separated allow-list (claude-sonnet-4-6, openai/gpt-4.1, claude-*)',
      parseList,
    )
    .option('--job <id>', 'the job the token belongs to', parseName)
    .option('--private-key <path>', 'sign with this PEM key (EdDSA/RS256/ES256) instead of the shared secret')
    .option('--json', 'print {"token", "claims"} instead of the bare token')
    .action(async (options: CreateOptions) => {
      const { loadConfig } = await import('../../config/index.js');
      const { createTokenService, loadTokenKeys, parseTtl } = await import('../../auth/index.js');
      const config = loadConfig(process.env, { role: 'service' });
      const keys = await loadTokenKeys({
        jwtSecret: config.jwtSecret,
        dataDir: config.dataDir,
        ...config.jwtKeyFiles,
        // --private-key wins over LOOM_JWT_PRIVATE_KEY_PATH.
        ...(options.privateKey === undefined ? {} : { privateKeyPath: options.privateKey }),
      });
      const minted = createTokenService({ keys }).mint({
        subject: options.subject,
        role: options.role,
        ttlSeconds: parseTtl(options.ttl),
        ...(options.budgetUsd === undefined ? {} : { budgetUsd: options.budgetUsd }),
        ...(options.models === undefined ? {} : { models: options.models }),
        ...(options.job === undefined ? {} : { jobId: options.job }),
      });
      process.stdout.write(options.json ? `${JSON.stringify(minted)}\n` : `${minted.token}\n`);
    });
  token
    .command('revoke')
    .description(
      "Revoke a token, given its jti or the token itself (the proxy refuses it from then on); uses the server's store",
    )
    .argument('<jti-or-token>', 'the token id (`claims.jti` of `loom token create --json`), or the token')
    .action(async (given: string) => {
      const { loadConfig } = await import('../../config/index.js');
      const { maxTokenTtlSeconds, revocationTarget } = await import('../../auth/index.js');
      const { openStore } = await import('../../store/index.js');
      // Checked before the store opens: a bad argument touches nothing.
      const target = revocationTarget(given);
      const config = loadConfig(process.env, { role: 'service' });
      const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
      try {
        // Kept until the token expires anyway (as long as any token can live, given a bare id).
        const keepUntil = target.expiresAt ?? new Date(Date.now() + maxTokenTtlSeconds * 1000);
        await store.revocations.revoke(target.jti, keepUntil);
        process.stdout.write(`revoked ${target.jti}\n`);
      } finally {
        await store.close();
      }
    });
}

function parseName(value: string): string {
  const name = value.trim();
  if (name === '') throw new InvalidArgumentError('must not be empty');
  return name;
}

function parseRole(value: string): 'user' | 'admin' {
  if (value !== 'user' && value !== 'admin') throw new InvalidArgumentError('must be user or admin');
  return value;
}

function parseBudget(value: string): number {
  const amount = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !Number.isFinite(amount)) {
    throw new InvalidArgumentError('must be a non-negative number of US dollars, e.g. 5 or 2.50');
  }
  return amount;
}

function parseList(value: string): string[] {
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.length === 0) throw new InvalidArgumentError('must name at least one model');
  return items;
}
