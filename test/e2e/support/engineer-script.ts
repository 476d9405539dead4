/**
 * A scripted "engineer" model for the end-to-end test. It keeps no state: like a real model it
 * decides its next step from the conversation in the request: look around, read the code and the
 * test, try to read secrets it must not get, run the test, fix the bug, run the test again, answer.
 */
import type { DecideReply, FakeReply } from './fake-anthropic-server.js';
import { toolSteps, type ToolStep } from './messages-transcript.js';

export interface EngineerOptions {
  /** A file outside the workspace the engineer tries to read. */
  secretPath: string;
}

export const engineerAnswer =
  'Fixed it: `sum` in sum.js subtracted instead of adding. I changed `a - b` to `a + b`, and `node test.js` now passes.';

const probeCommand = (secretPath: string): string =>
  `env; echo ---; cat /proc/self/environ | tr '\\0' '\\n'; echo ---; cat /proc/$PPID/environ | tr '\\0' '\\n'; echo ---; cat ${secretPath}`;

function tool(
  name: string,
  input: Record<string, unknown>,
): { type: 'tool_use'; name: string; input: Record<string, unknown> } {
  return { type: 'tool_use', name, input };
}

function reply(text: string, ...calls: Array<ReturnType<typeof tool>>): FakeReply {
  return { kind: 'message', content: [...(text === '' ? [] : [{ type: 'text' as const, text }]), ...calls] };
}

const isTestRun = (step: ToolStep): boolean => step.name === 'bash' && step.input.command === 'node test.js';

export function createEngineer(options: EngineerOptions): DecideReply {
  return (body) => {
    const steps = toolSteps(body);
    const called = (name: string, predicate: (step: ToolStep) => boolean = () => true): boolean =>
      steps.some((step) => step.name === name && predicate(step));
    const edited = steps.findIndex((step) => step.name === 'edit_file');
    const testRuns = steps.filter(isTestRun);
    if (steps.length === 0) return reply("I'll look at the repository first.", tool('list_files', {}));
    if (!called('read_file', (step) => step.input.path === 'test.js')) {
      return reply('', tool('read_file', { path: 'test.js' }), tool('read_file', { path: 'sum.js' }));
    }
    if (!called('read_file', (step) => step.input.path === options.secretPath)) {
      return reply(
        'Let me check the environment and the deployment secret.',
        tool('read_file', { path: options.secretPath }),
        tool('bash', { command: probeCommand(options.secretPath) }),
      );
    }
    if (testRuns.length === 0) return reply('Running the test.', tool('bash', { command: 'node test.js' }));
    if (edited === -1) {
      const failure = testRuns[0]?.result;
      if (failure === undefined || !failure.isError) return reply('The test already passes; nothing to fix.');
      return reply(
        'The test fails because sum subtracts. Fixing sum.js.',
        tool('edit_file', { path: 'sum.js', edits: [{ old_str: 'a - b', new_str: 'a + b' }] }),
      );
    }
    const afterEdit = steps.slice(edited + 1).filter(isTestRun);
    if (afterEdit.length === 0) return reply('', tool('bash', { command: 'node test.js' }));
    const last = afterEdit.at(-1)?.result;
    return reply(
      last !== undefined && !last.isError && last.text.includes('PASS')
        ? engineerAnswer
        : 'The test still fails.',
    );
  };
}

/** Answers with a fault for the listed HTTP request numbers (0-based), else asks `decide`. */
export function withFaults(decide: DecideReply, faults: ReadonlyMap<number, FakeReply>): DecideReply {
  return (body, index) => faults.get(index) ?? decide(body, index);
}
