/**
 * An incremental Server-Sent Events parser (the WHATWG event-stream format): feed it text as it
 * arrives, get complete events back. Used to read usage out of streams the proxy forwards, and by
 * the proxy client to read the proxy's own stream.
 */

export interface SseEvent {
  /** `message` when the event had no `event:` field. */
  event: string;
  data: string;
}

export interface SseParser {
  push(text: string): SseEvent[];
  /** Flushes an event that was not followed by a blank line (a stream cut right after it). */
  finish(): SseEvent[];
}

export function createSseParser(): SseParser {
  let buffer = '';
  let event = '';
  let data: string[] = [];

  function dispatch(into: SseEvent[]): void {
    if (data.length > 0) into.push({ event: event === '' ? 'message' : event, data: data.join('\n') });
    event = '';
    data = [];
  }

  function line(text: string, into: SseEvent[]): void {
    if (text === '') return dispatch(into);
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }

  return {
    push(text) {
      buffer += text;
      const events: SseEvent[] = [];
      let newline = /\r\n|\r|\n/.exec(buffer);
      while (newline !== null) {
        // A lone '\r' at the end may be the first half of '\r\n': wait for more text.
        if (newline[0] === '\r' && newline.index === buffer.length - 1) break;
        line(buffer.slice(0, newline.index), events);
        buffer = buffer.slice(newline.index + newline[0].length);
        newline = /\r\n|\r|\n/.exec(buffer);
      }
      return events;
    },
    finish() {
      const events: SseEvent[] = [];
      if (buffer !== '') line(buffer, events);
      buffer = '';
      dispatch(events);
      return events;
    },
  };
}
