/**
 * Scripted engineer turns for the model server. Each answer is decided from the request (the last
 * tool call and its result), so a run that restarts from scratch gets the same answers.
 */
import type {
  AnthropicBlock,
  AnthropicRequestBody,
  ModelScript,
  ScriptedTurn,
} from './scripted-anthropic-server.js';
import { lastToolResult } from './scripted-anthropic-server.js';

/** The tool call the model made last, when the request ends with its result. */
export function lastToolCall(
  request: AnthropicRequestBody,
): { name: string; input: Record<string, unknown> } | undefined {
  const last = request.messages.at(-1);
  if (
    last === undefined ||
    typeof last.content === 'string' ||
    !last.content.some((block) => block.type === 'tool_result')
  ) {
    return undefined;
  }
  const assistant = request.messages.at(-2);
  if (assistant === undefined || typeof assistant.content === 'string') return undefined;
  const call = [...assistant.content].reverse().find((block: AnthropicBlock) => block.type === 'tool_use');
  return call === undefined
    ? undefined
    : { name: call.name ?? '', input: (call.input ?? {}) as Record<string, unknown> };
}

export const fixedAnswer = 'Fixed `sum`: it subtracted instead of adding. `node test.js` now passes.';

/**
 * Runs the test (and, to prove the weaver holds no credential, prints its git config and
 * environment), fixes `sum.js`, runs the test again, and answers.
 */
export function fixFailingTestScript(
  extra: { firstTurn?: () => ScriptedTurn | undefined } = {},
): ModelScript {
  return (request) => {
    const call = lastToolCall(request);
    const result = lastToolResult(request);
    if (call === undefined) {
      return (
        extra.firstTurn?.() ?? {
          text: 'Let me run the tests first.',
          tools: [
            { name: 'bash', input: { command: 'cat .git/config; env | sort; git remote -v; node test.js' } },
          ],
        }
      );
    }
    if (call.name === 'bash' && result.includes('AssertionError')) {
      return {
        tools: [
          { name: 'edit_file', input: { path: 'sum.js', edits: [{ old_str: 'a - b', new_str: 'a + b' }] } },
        ],
      };
    }
    if (call.name === 'edit_file' || (call.name === 'bash' && !result.includes('all tests passed'))) {
      return { tools: [{ name: 'bash', input: { command: 'node test.js' } }] };
    }
    return { text: fixedAnswer };
  };
}

/** A question: the model reads a file and answers without changing anything. */
export function answerQuestionScript(answer: string): ModelScript {
  return (request) =>
    lastToolCall(request) === undefined
      ? { tools: [{ name: 'read_file', input: { path: 'sum.js' } }] }
      : { text: answer };
}
