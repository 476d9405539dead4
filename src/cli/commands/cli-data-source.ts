/**
 * Where the CLI's data commands (`loom threads`, `loom chores`, `loom usage`) read from: the server
 * when LOOM_SERVER_URL is set (it then needs LOOM_TOKEN), else this machine's store. The outbound
 * proxy is installed first, so the server is reached like any other host of the machine.
 * Imported lazily by the commands, so `loom --help` stays quick.
 */
import type { LoomConfig } from '../../config/index.js';
import { loadConfig } from '../../config/index.js';
import { LoomError } from '../../errors/index.js';
import { createSilentLogger } from '../../logging/index.js';
import { installOutboundProxy } from '../../outbound/index.js';

export interface CliDataSource {
  config: LoomConfig;
  /** Undefined: read this machine's store. */
  server: { url: string; token: string } | undefined;
}

/** `tokenHint`: how to get a token that will do (`loom token create --role admin` for chores). */
export function cliDataSource(tokenHint = '`loom token create`'): CliDataSource {
  const config = loadConfig(process.env, { role: 'cli' });
  installOutboundProxy(config, createSilentLogger(), { ownServerDirect: false });
  const { url, token } = config.server;
  if (url === undefined) return { config, server: undefined };
  if (token === undefined)
    throw new LoomError('config_invalid', `LOOM_SERVER_URL needs LOOM_TOKEN (see ${tokenHint})`);
  return { config, server: { url, token } };
}
