import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readStreamStart } from './read-stream-start.js';

/** A verdict (the text itself) once the text holds a `!`. */
const untilBang = (text: string): string | undefined => (text.includes('!') ? text : undefined);

async function rest(body: PassThrough): Promise<string> {
  body.resume();
  let text = '';
  for await (const chunk of body) text += String(chunk);
  return text;
}

describe('readStreamStart', () => {
  it('holds chunks until they can be judged, then puts every byte back, in order', async () => {
    const body = new PassThrough();
    const start = readStreamStart(body, 5_000, untilBang);
    body.write('one ');
    await new Promise((resolve) => setTimeout(resolve, 10));
    body.write('two! ');
    expect(await start).toBe('one two! ');
    body.end('three');
    expect(await rest(body)).toBe('one two! three');
  });

  it('decodes a character split across chunks whole', async () => {
    const body = new PassThrough();
    const start = readStreamStart(body, 5_000, untilBang);
    const text = Buffer.from('é!');
    body.write(text.subarray(0, 1));
    body.write(text.subarray(1));
    expect(await start).toBe('é!');
    body.end();
    expect(await rest(body)).toBe('é!');
  });

  it('gives no verdict when the wait is over, and puts back what came', async () => {
    const body = new PassThrough();
    body.write('no verdict yet');
    expect(await readStreamStart(body, 20, untilBang)).toBeUndefined();
    body.end(' and more');
    expect(await rest(body)).toBe('no verdict yet and more');
    expect(await readStreamStart(new PassThrough(), 20, untilBang)).toBeUndefined();
  });

  it('resolves nothing for an empty body, and fails one that ends or breaks before the verdict', async () => {
    const empty = new PassThrough();
    const nothing = readStreamStart(empty, 5_000, untilBang);
    empty.end();
    expect(await nothing).toBeUndefined();

    const ended = new PassThrough();
    const cut = readStreamStart(ended, 5_000, untilBang);
    ended.end('opening only');
    await expect(cut).rejects.toThrow(/ended before/);

    const broken = new PassThrough();
    const failed = readStreamStart(broken, 5_000, untilBang);
    broken.write('opening');
    broken.destroy(new Error('socket hang up'));
    await expect(failed).rejects.toThrow(/socket hang up/);
  });
});
