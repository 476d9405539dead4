import { describe, expect, it } from 'vitest';
import { buildBwrapArguments, type SandboxLayout } from './bwrap-arguments.js';

const layout: SandboxLayout = {
  systemMounts: [{ path: '/usr' }, { path: '/bin', symlinkTarget: 'usr/bin' }, { path: '/etc' }],
  readOnlyPaths: ['/opt/loom/src', '/opt/loom/node_modules'],
  hiddenPaths: ['/opt/loom/node_modules/.loom'],
  workspaceDir: '/var/jobs/42/workspace',
  environment: { PATH: '/usr/bin:/bin', HOME: '/tmp', LANG: 'C.UTF-8' },
  command: ['/usr/bin/node', '/opt/loom/src/cli/loom.js', 'weaver-agent', '--workspace', '/workspace'],
};

function pairsAfter(args: string[], flag: string): string[][] {
  const found: string[][] = [];
  args.forEach((arg, index) => {
    if (arg === flag) found.push(args.slice(index + 1, index + 3));
  });
  return found;
}

describe('buildBwrapArguments', () => {
  const args = buildBwrapArguments(layout);

  it('isolates every namespace (no network), drops capabilities, dies with its parent', () => {
    expect(args.slice(0, 5)).toEqual([
      '--unshare-all',
      '--die-with-parent',
      '--new-session',
      '--cap-drop',
      'ALL',
    ]);
    expect(args).not.toContain('--share-net');
  });

  it('mounts system directories and agent code read-only, recreating symlinked ones', () => {
    expect(pairsAfter(args, '--ro-bind')).toEqual([
      ['/usr', '/usr'],
      ['/etc', '/etc'],
      ['/opt/loom/src', '/opt/loom/src'],
      ['/opt/loom/node_modules', '/opt/loom/node_modules'],
    ]);
    expect(pairsAfter(args, '--symlink')).toEqual([['usr/bin', '/bin']]);
  });

  it('binds only the workspace read-write, at /workspace, and starts there', () => {
    expect(pairsAfter(args, '--bind')).toEqual([['/var/jobs/42/workspace', '/workspace']]);
    expect(pairsAfter(args, '--chdir')).toEqual([['/workspace', '--clearenv']]);
  });

  it('gives a private /tmp and hides data directories under empty tmpfs', () => {
    const tmpfs = args.flatMap((arg, index) => (arg === '--tmpfs' ? [args[index + 1]] : []));
    expect(tmpfs).toEqual(['/tmp', '/opt/loom/node_modules/.loom']);
    expect(args.lastIndexOf('--tmpfs')).toBeGreaterThan(args.lastIndexOf('--ro-bind'));
  });

  it('mounts the agent code after the private /tmp, so an install under /tmp stays visible', () => {
    const privateTmp = args.findIndex((arg, index) => arg === '/tmp' && args[index - 1] === '--tmpfs');
    for (const path of layout.readOnlyPaths) {
      expect(args.indexOf(path)).toBeGreaterThan(privateTmp);
    }
  });

  it('clears the environment and sets only the listed variables, then runs the command', () => {
    const setenv = args.flatMap((arg, index) => (arg === '--setenv' ? [args[index + 1]] : []));
    expect(setenv).toEqual(['PATH', 'HOME', 'LANG']);
    expect(args.indexOf('--clearenv')).toBeLessThan(args.indexOf('--setenv'));
    expect(args.slice(args.indexOf('--') + 1)).toEqual(layout.command);
  });
});
