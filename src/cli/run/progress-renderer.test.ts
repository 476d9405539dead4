import { describe, expect, it } from 'vitest';
import type { AgentProgressEvent } from '../../agent/index.js';
import { createProgressRenderer } from './progress-renderer.js';

const call = { id: 'c1', name: 'read_file', arguments: { path: 'src/app.ts' } };
const events: AgentProgressEvent[] = [
  { type: 'run_started', model: 'm', resumedMessages: 0 },
  { type: 'turn_started', turn: 1, attempt: 0 },
  { type: 'tool_call_started', call, readOnly: true },
  { type: 'tool_call_finished', call, isError: false, durationMs: 4 },
];

function capture(): { output: { write(text: string): void; columns: number }; text(): string } {
  let text = '';
  return { output: { write: (chunk: string) => void (text += chunk), columns: 60 }, text: () => text };
}

describe('createProgressRenderer', () => {
  it('writes one plain line per step when stderr is not a terminal', () => {
    const sink = capture();
    const renderer = createProgressRenderer({ output: sink.output, tty: false });
    for (const event of events) renderer.onEvent(event);
    renderer.note('warning: something');
    expect(sink.text()).toBe(
      'turn  1\ntool  read_file src/app.ts\ndone  read_file src/app.ts (4 ms)\nwarning: something\n',
    );
    expect(sink.text()).not.toContain('\x1b');
  });

  it('draws a spinner on a terminal, keeps finished steps above it and clears it at the end', () => {
    const sink = capture();
    const renderer = createProgressRenderer({ output: sink.output, tty: true, color: false, now: () => 0 });
    for (const event of events) renderer.onEvent(event);
    expect(sink.text()).toContain('\r\x1b[2K⠋ turn 1 · read_file src/app.ts');
    expect(sink.text()).toContain('✓ read_file src/app.ts (4 ms)\n');
    renderer.onEvent({ type: 'run_finished', result: {} as never });
    expect(sink.text().endsWith('\r\x1b[2K')).toBe(true);
  });

  it('hides the spinner while the REPL streams the answer on stdout', () => {
    const sink = capture();
    const renderer = createProgressRenderer({
      output: sink.output,
      tty: true,
      color: false,
      textOnStdout: true,
    });
    renderer.onEvent({ type: 'run_started', model: 'm', resumedMessages: 0 });
    renderer.onEvent({ type: 'turn_started', turn: 1, attempt: 0 });
    const before = sink.text().length;
    renderer.onEvent({ type: 'text_delta', text: 'Hi' });
    expect(sink.text().slice(before)).toBe('\r\x1b[2K');
    renderer.stop();
  });
});
