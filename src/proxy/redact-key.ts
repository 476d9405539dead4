/**
 * Removes the server's provider key from text the proxy hands back (provider error bodies), as a
 * last line of defence: providers sometimes echo a rejected key or a part of it.
 */
export function redactKey(text: string, apiKey: string | undefined): string {
  if (apiKey === undefined || apiKey.length < 8) return text;
  // Also the tail a provider may quote ("...abcd1234"): any 8+ character suffix of the key.
  return text.split(apiKey).join('[redacted]').split(apiKey.slice(-8)).join('[redacted]');
}
