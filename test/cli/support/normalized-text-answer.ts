/**
 * The body of a Loom server's `/proxy/{provider}/stream` answer that says `text` and stops: what a
 * test's stand-in for the server sends the CLI's proxy client (SSE, event `llm`).
 */
export function normalizedTextAnswer(text: string): string {
  const completed = {
    type: 'completed',
    response: {
      message: { role: 'assistant', content: text },
      tool_calls: [],
      usage: { input_tokens: 10, output_tokens: 5 },
      finish_reason: 'stop',
    },
  };
  return [{ type: 'text_delta', text }, completed]
    .map((event) => `event: llm\ndata: ${JSON.stringify(event)}\n\n`)
    .join('');
}
