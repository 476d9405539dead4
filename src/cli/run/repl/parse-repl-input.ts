/**
 * What a line typed into the REPL means: a task for the agent, or one of the slash commands. Pure.
 */
export type ReplInput =
  | { kind: 'empty' }
  | { kind: 'prompt'; text: string }
  | { kind: 'command'; command: ReplCommand }
  | { kind: 'unknown-command'; name: string };

export type ReplCommand = 'help' | 'exit' | 'new' | 'id';

const commands: Readonly<Record<string, ReplCommand>> = {
  '/help': 'help',
  '/?': 'help',
  '/exit': 'exit',
  '/quit': 'exit',
  '/new': 'new',
  '/id': 'id',
};

export const replHelp = `Type a task or a question and press Enter; the answer streams as it is written.
  /help   this help
  /new    start a new conversation (the current one stays saved)
  /id     show the id of this conversation (for loom resume <id>)
  /exit   quit (also Ctrl-D)
Ctrl-C cancels the current turn; at the prompt, press it twice to quit.`;

export function parseReplInput(line: string): ReplInput {
  const text = line.trim();
  if (text === '') return { kind: 'empty' };
  if (!text.startsWith('/') || text.startsWith('//')) {
    // `//` escapes a prompt that starts with a slash.
    return { kind: 'prompt', text: text.startsWith('//') ? text.slice(1) : text };
  }
  const name = text.split(/\s+/)[0]?.toLowerCase() ?? text;
  const command = commands[name];
  return command === undefined ? { kind: 'unknown-command', name } : { kind: 'command', command };
}
