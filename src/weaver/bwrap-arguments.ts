/**
 * The bubblewrap command line for a local weaver, built from facts gathered beforehand (pure, so
 * every mount decision is testable). The sandbox is shaped like a pod: system directories and the
 * code needed to run the agent read-only, a private /tmp, the workspace writable at a fixed path;
 * no home directories, no other workspaces, no Loom data directory, no network, no capabilities,
 * and an environment that holds only what is listed here.
 */

/** Where the workspace appears inside the sandbox. */
export const sandboxWorkspacePath = '/workspace';

export interface SandboxMount {
  path: string;
  /** Set when `path` is a symbolic link on the host (e.g. `/bin -> usr/bin`): recreated as one. */
  symlinkTarget?: string | undefined;
}

export interface SandboxLayout {
  /** System paths that exist on the host, mounted read-only at the same place. */
  systemMounts: SandboxMount[];
  /** Further host paths mounted read-only at the same place (agent code, a Node outside /usr). */
  readOnlyPaths: string[];
  /** Paths inside mounted trees covered by an empty tmpfs (e.g. a data directory). */
  hiddenPaths: string[];
  /** Host path of the workspace, mounted read-write at `sandboxWorkspacePath`. */
  workspaceDir: string;
  /** The complete environment of the agent. */
  environment: Record<string, string>;
  /** The agent command line, as seen inside the sandbox. */
  command: string[];
}

/** The `bwrap` arguments (without the bwrap binary itself) for `layout`. */
export function buildBwrapArguments(layout: SandboxLayout): string[] {
  const args = ['--unshare-all', '--die-with-parent', '--new-session', '--cap-drop', 'ALL'];
  for (const mount of layout.systemMounts) {
    if (mount.symlinkTarget === undefined) args.push('--ro-bind', mount.path, mount.path);
    else args.push('--symlink', mount.symlinkTarget, mount.path);
  }
  // The private /tmp comes before the agent code's mounts: Loom may itself be installed under /tmp
  // (a CI clone), and a later tmpfs on /tmp would hide it.
  args.push('--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp');
  for (const readOnly of layout.readOnlyPaths) args.push('--ro-bind', readOnly, readOnly);
  for (const hidden of layout.hiddenPaths) args.push('--tmpfs', hidden);
  args.push('--bind', layout.workspaceDir, sandboxWorkspacePath, '--chdir', sandboxWorkspacePath);
  args.push('--clearenv');
  for (const [name, value] of Object.entries(layout.environment)) args.push('--setenv', name, value);
  args.push('--', ...layout.command);
  return args;
}
