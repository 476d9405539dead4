import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../../src/logging/index.js';
import { createThrottledEditor } from './create-throttled-editor.js';

describe('createThrottledEditor', () => {
  it('sends a burst as one edit with the latest body, then at most one edit per interval', async () => {
    const sent: string[] = [];
    const editor = createThrottledEditor({
      edit: async (body) => {
        sent.push(body);
      },
      intervalMs: 100,
      logger: createSilentLogger(),
    });
    editor.update('a');
    editor.update('b');
    editor.update('c');
    await sleep(20);
    expect(sent).toEqual(['c']);
    editor.update('d');
    editor.update('e');
    await sleep(20);
    expect(sent).toEqual(['c']);
    await sleep(150);
    expect(sent).toEqual(['c', 'e']);
    editor.update('e');
    await editor.flush();
    expect(sent).toEqual(['c', 'e']);
    editor.update('f');
    await editor.flush();
    expect(sent).toEqual(['c', 'e', 'f']);
    editor.stop();
  });

  it('logs a failed edit instead of throwing, and tries the next body', async () => {
    const sent: string[] = [];
    let fail = true;
    const editor = createThrottledEditor({
      edit: async (body) => {
        if (fail) {
          fail = false;
          throw new Error('502');
        }
        sent.push(body);
      },
      intervalMs: 0,
      logger: createSilentLogger(),
    });
    editor.update('a');
    await editor.flush();
    editor.update('b');
    await editor.flush();
    expect(sent).toEqual(['b']);
  });
});
