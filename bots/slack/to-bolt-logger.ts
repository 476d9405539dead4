/**
 * Bolt's and the Slack SDK's logger interface on top of our pino logger, so their lines end up in the
 * same structured log. Levels follow pino's; `setLevel` is ignored (the config decides). Bolt logs
 * several debug lines per event, so a disabled level returns before formatting anything.
 */
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../src/logging/index.js';

const levels: Record<string, LogLevel> = {
  trace: LogLevel.DEBUG,
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
};

function line(parts: unknown[]): string {
  return parts.map((part) => (part instanceof Error ? part.message : String(part))).join(' ');
}

export function toBoltLogger(logger: Logger): BoltLogger {
  let child = logger;
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...parts: unknown[]) => {
      if (child.isLevelEnabled(level)) child[level](line(parts));
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    setLevel: () => undefined,
    getLevel: () => levels[logger.level] ?? LogLevel.ERROR,
    setName: (name: string) => {
      child = logger.child({ library: name });
    },
  };
}
