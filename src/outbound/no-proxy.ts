/**
 * NO_PROXY read the way undici's `EnvHttpProxyAgent` reads it, so the agent given to Slack's client
 * decides like the `fetch` dispatcher: entries separated by commas or spaces, each a host name (which
 * also covers its subdomains), `.suffix` or `*.suffix`, optionally with `:port`. A lone `*` sends
 * everything direct, and the configuration treats it as no proxy at all.
 */
export interface NoProxyEntry {
  hostname: string;
  /** 0: any port. */
  port: number;
}

export function parseNoProxy(value: string | undefined): NoProxyEntry[] {
  return (value ?? '')
    .split(/[,\s]/)
    .filter((entry) => entry !== '')
    .map((entry) => {
      const withPort = /^(.+):(\d+)$/.exec(entry);
      return {
        hostname: (withPort?.[1] ?? entry).replace(/^\*?\./, '').toLowerCase(),
        port: withPort?.[2] === undefined ? 0 : Number.parseInt(withPort[2], 10),
      };
    });
}

/** True when a call to `hostname:port` skips the proxy. `hostname` keeps IPv6 brackets (`[::1]`). */
export function goesDirect(entries: readonly NoProxyEntry[], hostname: string, port: number): boolean {
  const host = hostname.toLowerCase();
  return entries.some(
    (entry) =>
      (entry.port === 0 || entry.port === port) &&
      (host === entry.hostname || host.endsWith(`.${entry.hostname}`)),
  );
}
