/**
 * How the worker hands an installation token to git: as an `Authorization` header set through
 * `GIT_CONFIG_*` environment variables (git ≥ 2.31). The token is never written to a config file,
 * a remote URL or a command-line argument, so it is not left on disk in the mirror, not shown in
 * `ps`, and never shipped into a weaver inside a bundle.
 */
export function gitAuthEnvironment(token: string): Record<string, string> {
  // GitHub (and GHE) accept an installation token as the password of the `x-access-token` user.
  const basic = Buffer.from(`x-access-token:${token}`, 'utf8').toString('base64');
  return {
    GIT_CONFIG_COUNT: '2',
    GIT_CONFIG_KEY_0: 'http.extraHeader',
    GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
    // No credential helper of the host may answer (or store) anything for our requests.
    GIT_CONFIG_KEY_1: 'credential.helper',
    GIT_CONFIG_VALUE_1: '',
  };
}

/** The strings to redact from git's output when a token is in play. */
export function gitAuthSecrets(token: string): string[] {
  return [token, Buffer.from(`x-access-token:${token}`, 'utf8').toString('base64')];
}
