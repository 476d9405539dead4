/**
 * One short line per tool call for progress output: the tool and its most telling argument
 * (`read_file src/sum.js`, `bash: node test.js`), cut to fit a terminal line.
 */
import type { ToolCall } from '../../llm/index.js';

const mainArgument: Readonly<Record<string, string>> = {
  read_file: 'path',
  list_files: 'path',
  glob: 'pattern',
  grep: 'pattern',
  edit_file: 'path',
  write_file: 'path',
  bash: 'command',
};

export function describeToolCall(call: ToolCall, maxLength = 100): string {
  const key = mainArgument[call.name];
  const value = key === undefined ? undefined : call.arguments[key];
  let detail: string;
  if (typeof value === 'string') detail = call.name === 'bash' ? `: ${value}` : ` ${value}`;
  else if (key === undefined) detail = ` ${JSON.stringify(call.arguments)}`;
  else detail = '';
  return truncate(`${call.name}${detail}`.replace(/\s+/g, ' ').trim(), maxLength);
}

/** `text` cut to `maxLength` characters with an ellipsis. */
export function truncate(text: string, maxLength: number): string {
  return text.length <= maxLength ? text : `${text.slice(0, Math.max(0, maxLength - 1))}…`;
}
