/**
 * Removes a secret from text before it can reach an error message, a log line or a user. Providers
 * sometimes echo (parts of) the key they rejected; this is the last line of defence for the full key.
 */
export function redactSecret(text: string, secret: string | undefined): string {
  if (secret === undefined || secret.length < 4) return text;
  return text.split(secret).join('[redacted]');
}
