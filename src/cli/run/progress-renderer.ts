/**
 * Progress on stderr while an agent runs: a spinner with the current step and finished steps above
 * it on a terminal, plain lines (one per step) otherwise, so logs and CI output stay readable.
 */
import { styleText } from 'node:util';
import type { AgentProgressEvent } from '../../agent/index.js';
import { truncate } from './describe-tool-call.js';
import { createProgressModel, formatDuration, type ProgressLine } from './progress-model.js';

export interface ProgressRenderer {
  onEvent(event: AgentProgressEvent): void;
  /** Prints a message (a warning, a log line) without breaking the spinner. */
  note(text: string): void;
  /** Removes the spinner and stops its timer (also done by `run_finished`). */
  stop(): void;
}

export interface ProgressOutput {
  write(text: string): unknown;
  columns?: number;
}

export interface ProgressRendererOptions {
  output: ProgressOutput;
  /** Spinner and colours (a terminal), or plain lines. */
  tty: boolean;
  /** Colours on a terminal; off with NO_COLOR. */
  color?: boolean;
  /** The model's text goes to stdout as it streams (REPL): no `text` lines, no spinner meanwhile. */
  textOnStdout?: boolean;
  now?: () => number;
  spinnerIntervalMs?: number;
}

const spinnerFrames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function createProgressRenderer(options: ProgressRendererOptions): ProgressRenderer {
  return options.tty ? createTtyRenderer(options) : createPlainRenderer(options);
}

function createPlainRenderer(options: ProgressRendererOptions): ProgressRenderer {
  const model = createProgressModel({ showText: options.textOnStdout !== true });
  return {
    onEvent(event) {
      for (const line of model.apply(event)) options.output.write(`${plainLine(line)}\n`);
    },
    note: (text) => options.output.write(`${text}\n`),
    stop: () => undefined,
  };
}

function plainLine(line: ProgressLine): string {
  return `${line.kind.padEnd(5)} ${line.text.replace(/\n/g, '\n      ')}`;
}

function createTtyRenderer(options: ProgressRendererOptions): ProgressRenderer {
  const now = options.now ?? Date.now;
  const paint = (format: Parameters<typeof styleText>[0], text: string): string =>
    options.color === false ? text : styleText(format, text);
  let model = createProgressModel({ showText: options.textOnStdout !== true });
  let timer: NodeJS.Timeout | undefined;
  let frame = 0;
  let startedAt = now();
  let shown = false;
  let hidden = false;

  const clear = (): void => {
    if (shown) options.output.write('\r\x1b[2K');
    shown = false;
  };
  const draw = (): void => {
    if (timer === undefined || hidden) return;
    const spinner = paint('cyan', spinnerFrames[frame % spinnerFrames.length] ?? '-');
    const facts = `${formatDuration(now() - startedAt)} · $${model.costUsd().toFixed(4)}`;
    // A pseudo-terminal without a size reports 0 columns.
    const width = Math.max(20, (options.output.columns || 80) - 3);
    options.output.write(`\r\x1b[2K${spinner} ${truncate(`${model.status()} · ${facts}`, width)}`);
    shown = true;
  };
  const stop = (): void => {
    clearInterval(timer);
    timer = undefined;
    clear();
  };
  const print = (lines: string[]): void => {
    if (lines.length === 0) return;
    clear();
    for (const line of lines) options.output.write(`${line}\n`);
    draw();
  };
  const format = (line: ProgressLine): string | undefined => {
    switch (line.kind) {
      case 'turn':
      case 'tool':
        return undefined; // the spinner shows the turn and the running tool
      case 'text':
        return paint('dim', `› ${line.text.replace(/\n/g, '\n  ')}`);
      case 'done':
        return `${paint('green', '✓')} ${line.text}`;
      case 'fail':
        return `${paint('red', '✗')} ${line.text}`;
      case 'retry':
        return `${paint('yellow', '↻')} ${line.text}`;
      case 'steer':
        return `${paint('magenta', '»')} ${line.text}`;
    }
  };

  return {
    onEvent(event) {
      if (event.type === 'run_started') {
        model = createProgressModel({ showText: options.textOnStdout !== true });
        startedAt = now();
        hidden = false;
        timer ??= setInterval(() => {
          frame += 1;
          draw();
        }, options.spinnerIntervalMs ?? 80);
        timer.unref();
      }
      if (event.type === 'run_finished') return stop();
      if (event.type === 'text_delta' && options.textOnStdout === true) {
        clear();
        hidden = true;
      } else if (event.type !== 'text_delta' && event.type !== 'usage_updated') {
        hidden = false;
      }
      print(model.apply(event).flatMap((line) => format(line) ?? []));
      draw();
    },
    note: (text) => print([text]),
    stop,
  };
}
