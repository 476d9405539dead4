/**
 * The REPL (`loom`) and `loom resume` driven as a user would, through stdin of a real child process:
 * streamed answers, slash commands, Ctrl-C cancelling only the current turn, conversations saved in
 * the local store and continued later with the earlier messages sent to the model.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuggyRepository } from '../e2e/support/buggy-repository.js';
import {
  startFakeAnthropicServer,
  type FakeAnthropicServer,
  type FakeReply,
} from '../e2e/support/fake-anthropic-server.js';
import { createLoomTestEnvironment, type LoomTestEnvironment } from '../e2e/support/loom-test-environment.js';
import { toolSteps, userTexts, type MessagesRequest } from '../e2e/support/messages-transcript.js';
import { startLoom } from '../e2e/support/run-loom.js';

const slowAnswer = 'Hello! This answer arrives piece by piece, so you can read it as it is written.';

/** A small conversational model: answers from the last thing the user said. */
function chat(body: MessagesRequest): FakeReply {
  const said = userTexts(body);
  const last = said.at(-1) ?? '';
  const steps = toolSteps(body);
  const answered = (name: string): boolean =>
    steps.some((step) => step.name === name && step.result !== undefined);
  if (last === 'hello')
    return { kind: 'message', content: [{ type: 'text', text: slowAnswer }], delayMs: 120 };
  if (last === 'wait for me' && !answered('bash')) {
    return { kind: 'message', content: [{ type: 'tool_use', name: 'bash', input: { command: 'sleep 30' } }] };
  }
  if (last === 'list the files' && !answered('list_files')) {
    return { kind: 'message', content: [{ type: 'tool_use', name: 'list_files', input: {} }] };
  }
  if (last === 'list the files') {
    const listing = steps.filter((step) => step.name === 'list_files').at(-1)?.result?.text ?? '';
    return { kind: 'message', content: [{ type: 'text', text: `Files: ${listing.split('\n').join(', ')}` }] };
  }
  return {
    kind: 'message',
    content: [{ type: 'text', text: `You said before: ${said.slice(0, -1).join(' | ')}` }],
  };
}

describe('the REPL', () => {
  let repository: string;
  let home: LoomTestEnvironment;
  let server: FakeAnthropicServer;
  let env: Record<string, string>;
  let conversationId: string | undefined;

  beforeAll(async () => {
    repository = await createBuggyRepository();
    home = await createLoomTestEnvironment();
    server = await startFakeAnthropicServer(chat);
    env = { ...home.env, ANTHROPIC_API_KEY: 'sk-ant-repl-test-key', ANTHROPIC_BASE_URL: server.url };
  });

  afterAll(async () => {
    await server.close();
    await home.cleanup();
    await rm(repository, { recursive: true, force: true });
  });

  it('streams answers, knows /help, cancels a turn on Ctrl-C and goes on, quits on /exit', async () => {
    const repl = startLoom(['--workspace', repository], env, { detached: true });
    repl.child.stdin.write('hello\n');
    await repl.waitFor(/Hello! This/, 'stdout', 60_000);
    // The first pieces are on screen while the rest is still being written.
    expect(repl.stdout()).not.toContain('as it is written.');
    await repl.waitFor(/as it is written\.\n/, 'stdout');

    repl.child.stdin.write('/help\n/nonsense\n');
    await repl.waitFor(/\/exit\s+quit[\s\S]*unknown command \/nonsense/, 'stdout');

    repl.child.stdin.write('wait for me\n');
    await repl.waitFor(/bash: sleep 30/, 'stderr');
    await new Promise((resolve) => setTimeout(resolve, 300));
    process.kill(-repl.child.pid!, 'SIGINT'); // what a terminal's Ctrl-C does: the whole group
    await repl.waitFor(/cancelled: cancelled by the caller/, 'stderr');

    // The session (and its weaver) survived the Ctrl-C: tools still run.
    repl.child.stdin.write('list the files\n');
    await repl.waitFor(/Files: AGENTS\.md, sum\.js, test\.js/, 'stdout');
    repl.child.stdin.write('/exit\n');
    const { code } = await repl.exited;
    expect(code, repl.stderr()).toBe(0);
    expect(repl.stderr()).not.toContain('crashed');
    conversationId = /continue this conversation with: loom resume (T-[0-9a-f-]+)/.exec(repl.stderr())?.[1];
    expect(conversationId).toBeDefined();
  }, 120_000);

  it('resumes a saved conversation with `loom resume <id>`, sending the earlier messages to the model', async () => {
    expect(conversationId).toBeDefined();
    const before = server.requests.length;
    const repl = startLoom(['resume', conversationId!], env);
    repl.child.stdin.end('what did I say?\n');
    const { code } = await repl.exited;
    expect(code, repl.stderr()).toBe(0);
    expect(repl.stderr()).toContain(`resumed ${conversationId}`);
    expect(repl.stdout()).toContain('You said before: hello | wait for me | list the files');
    const request = server.requests[before]!.body;
    expect(userTexts(request)).toEqual(['hello', 'wait for me', 'list the files', 'what did I say?']);
    // The cancelled tool call is in the transcript with a result, so the provider accepts it.
    expect(toolSteps(request).find((step) => step.name === 'bash')?.result?.isError).toBe(true);
  }, 120_000);
});
