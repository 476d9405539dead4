/**
 * The environment commands run with. It is built from scratch, never copied from `process.env`, so
 * a key or token the host process holds cannot reach a command the model wrote.
 */
import os from 'node:os';
import path from 'node:path';

/** The system PATH every Linux image has, plus the directory of the running Node binary. */
export function defaultToolPath(): string {
  const system = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
  const nodeDirectory = path.dirname(process.execPath);
  return [...(system.includes(nodeDirectory) ? [] : [nodeDirectory]), ...system].join(':');
}

/**
 * A clean environment for shell commands: a PATH, a scratch HOME, a UTF-8 locale, and switches that
 * keep common tools non-interactive (no pager, no git credential prompt, CI mode).
 */
export function defaultToolEnvironment(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: defaultToolPath(),
    HOME: os.tmpdir(),
    LANG: 'C.UTF-8',
    TERM: 'dumb',
    PAGER: 'cat',
    GIT_PAGER: 'cat',
    GIT_TERMINAL_PROMPT: '0',
    CI: 'true',
    ...overrides,
  };
}
