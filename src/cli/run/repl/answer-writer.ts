/**
 * Streams the model's text to stdout and remembers whether the cursor is at the start of a line,
 * so progress lines on stderr (the same terminal) never start in the middle of an answer.
 */
export interface AnswerWriter {
  write(text: string): void;
  /** Ends the current line if text was written since the last newline. */
  endLine(): void;
}

export function createAnswerWriter(output: { write(text: string): unknown }): AnswerWriter {
  let atLineStart = true;
  return {
    write(text) {
      if (text === '') return;
      output.write(text);
      atLineStart = text.endsWith('\n');
    },
    endLine() {
      if (!atLineStart) output.write('\n');
      atLineStart = true;
    },
  };
}
