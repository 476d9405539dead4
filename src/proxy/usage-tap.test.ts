import { describe, expect, it } from 'vitest';
import { createUsageTap } from './usage-tap.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('createUsageTap', () => {
  it('reads Anthropic stream usage, cached input included, across chunk boundaries', () => {
    const tap = createUsageTap('anthropic', true);
    const stream =
      'event: message_start\ndata: {"type":"message_start","message":{"usage":{"input_tokens":10,"cache_read_input_tokens":5,"output_tokens":1}}}\n\n' +
      'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":42}}\n\n';
    for (let index = 0; index < stream.length; index += 13) tap.push(bytes(stream.slice(index, index + 13)));
    expect(tap.finish()).toEqual({ input_tokens: 15, output_tokens: 42, cache_read_input_tokens: 5 });
  });

  it("names OpenAI's cached prompt tokens, of Chat Completions and of the Responses API", () => {
    const chat = createUsageTap('openai', true);
    chat.push(
      bytes(
        'data: {"choices":[],"usage":{"prompt_tokens":100,"completion_tokens":3,"prompt_tokens_details":{"cached_tokens":80}}}\n\n',
      ),
    );
    expect(chat.finish()).toEqual({ input_tokens: 100, output_tokens: 3, cache_read_input_tokens: 80 });
    const responses = createUsageTap('openai', false);
    responses.push(
      bytes('{"usage":{"input_tokens":50,"output_tokens":2,"input_tokens_details":{"cached_tokens":40}}}'),
    );
    expect(responses.finish()).toEqual({ input_tokens: 50, output_tokens: 2, cache_read_input_tokens: 40 });
  });

  it('reads OpenAI stream usage from the final chunk and ignores [DONE]', () => {
    const tap = createUsageTap('openai', true);
    tap.push(
      bytes(
        'data: {"choices":[{"delta":{"content":"hi"}}]}\n\ndata: {"choices":[],"usage":{"prompt_tokens":7,"completion_tokens":3}}\n\ndata: [DONE]\n\n',
      ),
    );
    expect(tap.finish()).toEqual({ input_tokens: 7, output_tokens: 3 });
  });

  it('reads a whole JSON answer of either provider', () => {
    const anthropic = createUsageTap('anthropic', false);
    anthropic.push(bytes('{"type":"message","usage":{"input_tokens":3,'));
    anthropic.push(bytes('"output_tokens":4}}'));
    expect(anthropic.finish()).toEqual({ input_tokens: 3, output_tokens: 4 });
    const openai = createUsageTap('openai', false);
    openai.push(bytes('{"usage":{"prompt_tokens":1,"completion_tokens":2}}'));
    expect(openai.finish()).toEqual({ input_tokens: 1, output_tokens: 2 });
  });

  it('reads a JSON answer whose multi-byte text is split across chunks', () => {
    const tap = createUsageTap('anthropic', false);
    const answer = bytes('{"content":[{"text":"héllo ✓"}],"usage":{"input_tokens":9,"output_tokens":2}}');
    const cut = answer.indexOf(0xe2) + 1; // inside the three bytes of ✓
    tap.push(answer.slice(0, cut));
    tap.push(answer.slice(cut));
    expect(tap.finish()).toEqual({ input_tokens: 9, output_tokens: 2 });
  });
});
