/**
 * The prompt of `loom run`: the words given (so quoting is optional), or stdin when the prompt is `-`.
 */
import { LoomError } from '../../errors/index.js';

export async function readPrompt(words: string[], stdin: AsyncIterable<unknown>): Promise<string> {
  let prompt = words.join(' ').trim();
  if (prompt === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    prompt = Buffer.concat(chunks).toString('utf8').trim();
  }
  if (prompt === '') throw new LoomError('invalid_input', 'the prompt is empty');
  return prompt;
}
