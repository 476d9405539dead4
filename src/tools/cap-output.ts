/**
 * Output caps. A tool's output goes into the model's context, so it is bounded: the head and the
 * tail are kept (errors tend to be at the end, context at the start) with a note of what was cut.
 */

/** Default cap, in characters, for tools whose output has no natural bound (bash, grep, listings). */
export const defaultOutputCapChars = 30_000;

export interface CappedOutput {
  text: string;
  truncated: boolean;
}

/** Keeps the first and last halves of `text` when it exceeds `maxChars`, with a truncation note. */
export function capOutput(text: string, maxChars: number = defaultOutputCapChars): CappedOutput {
  if (text.length <= maxChars) return { text, truncated: false };
  const half = Math.floor(maxChars / 2);
  const head = text.slice(0, half);
  const tail = text.slice(text.length - half);
  const omitted = text.length - head.length - tail.length;
  return {
    text: `${head}\n\n[... ${omitted} characters omitted: output exceeded ${maxChars} characters ...]\n\n${tail}`,
    truncated: true,
  };
}

/**
 * Collects a stream of text chunks while keeping memory bounded: the first `maxChars / 2` characters
 * and a rolling window of the rest. `result()` gives the same shape as `capOutput`.
 */
export class HeadTailBuffer {
  private head = '';
  private tail = '';
  private total = 0;
  private readonly half: number;
  private readonly tailSize: number;

  constructor(private readonly maxChars: number = defaultOutputCapChars) {
    this.half = Math.floor(maxChars / 2);
    this.tailSize = maxChars - this.half;
  }

  append(chunk: string): void {
    this.total += chunk.length;
    if (this.head.length < this.half) {
      const room = this.half - this.head.length;
      this.head += chunk.slice(0, room);
      chunk = chunk.slice(room);
    }
    if (chunk.length === 0) return;
    this.tail = (this.tail + chunk).slice(-this.tailSize);
  }

  result(): CappedOutput {
    if (this.total <= this.maxChars) return { text: this.head + this.tail, truncated: false };
    const omitted = this.total - this.head.length - this.tail.length;
    return {
      text: `${this.head}\n\n[... ${omitted} characters omitted: output exceeded ${this.maxChars} characters ...]\n\n${this.tail}`,
      truncated: true,
    };
  }
}
