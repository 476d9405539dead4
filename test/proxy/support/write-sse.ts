/** Writes a fake provider's event stream frame by frame, stalling or cutting it where a test asks. */
import type { ServerResponse } from 'node:http';
import type { AnswerOptions } from './fake-provider.js';

export async function writeSse(
  response: ServerResponse,
  frames: string[],
  options: Pick<AnswerOptions, 'delayMs' | 'stopAfter'>,
): Promise<void> {
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'request-id': 'req_fake_1',
  });
  for (const [index, frame] of frames.entries()) {
    if (options.stopAfter !== undefined && index === options.stopAfter.events) {
      if (options.stopAfter.how === 'cut') response.destroy();
      return; // 'stall': keep the connection open and silent
    }
    if (response.destroyed) return;
    response.write(frame);
    if (options.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
  }
  // Stopping after every event: the body never ends (stall) or breaks after its last event (cut).
  if (options.stopAfter !== undefined && options.stopAfter.events >= frames.length) {
    if (options.stopAfter.how === 'cut') response.destroy();
    return;
  }
  response.end();
}
