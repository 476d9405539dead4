import type { IncomingMessage } from 'node:http';

/** A request header as one string (repeated headers joined), or undefined when absent. */
export function headerOf(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}
