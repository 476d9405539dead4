import type { LlmStreamEvent } from '../../../src/llm/index.js';

/** Reads a model stream to its end, keeping every event. */
export async function drain(stream: AsyncIterable<LlmStreamEvent>): Promise<LlmStreamEvent[]> {
  const events: LlmStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

/** The one terminal event, after asserting there is exactly one and it is last. */
export function terminal(events: LlmStreamEvent[]): Extract<LlmStreamEvent, { type: 'completed' | 'error' }> {
  const terminals = events.filter((event) => event.type === 'completed' || event.type === 'error');
  if (terminals.length !== 1 || events.at(-1) !== terminals[0]) {
    throw new Error(
      `expected exactly one terminal event at the end, got ${JSON.stringify(events.map((e) => e.type))}`,
    );
  }
  return terminals[0] as Extract<LlmStreamEvent, { type: 'completed' | 'error' }>;
}
