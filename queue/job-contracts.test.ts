import { describe, expect, it } from 'vitest';
import { isLoomError } from '../src/errors/index.js';
import { isJobName, jobContracts, jobNames, parseJobPayload } from './job-contracts.js';

function parseError(name: string, data: unknown): unknown {
  try {
    parseJobPayload(name, data);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('jobContracts', () => {
  it('names every contract by its key and versions it', () => {
    for (const name of jobNames) {
      expect(jobContracts[name].name).toBe(name);
      expect(jobContracts[name].version).toBe(1);
    }
    expect(jobNames).toEqual(['echo', 'agent-run', 'chores-sync']);
  });

  it('accepts a minimal echo payload and a full one', () => {
    expect(parseJobPayload('echo', { version: 1, message: 'hi' })).toEqual({ version: 1, message: 'hi' });
    const full = {
      version: 1,
      message: 'hi',
      workMs: 300,
      failTimes: 2,
      permanentFailure: false,
      deliveryId: 'x',
    };
    expect(parseJobPayload('echo', full)).toEqual(full);
  });

  it('accepts an agent-run v1 payload with its optional links', () => {
    const payload = {
      version: 1,
      source: 'github',
      prompt: 'fix the flaky login test',
      repository: 'acme/web',
      requester: { source: 'github', id: '42', login: 'octocat' },
      conversationKey: 'github:acme/web#12',
      deliveryId: '72d3162e-cc78-11e3-81ab-4c9367dc0958',
    };
    expect(parseJobPayload('agent-run', payload)).toEqual(payload);
  });

  it('rejects a payload of an unknown version as invalid_input', () => {
    const error = parseError('echo', { version: 2, message: 'hi' });
    expect(isLoomError(error, 'invalid_input')).toBe(true);
  });

  it('rejects an agent-run without a prompt and names the field', () => {
    const error = parseError('agent-run', { version: 1, source: 'slack' });
    expect(isLoomError(error, 'invalid_input')).toBe(true);
    expect((error as Error).message).toContain('prompt');
  });

  it('rejects a repository that is not owner/name', () => {
    const error = parseError('agent-run', { version: 1, source: 'slack', prompt: 'x', repository: 'web' });
    expect(isLoomError(error, 'invalid_input')).toBe(true);
  });

  it('rejects an unknown job name', () => {
    expect(isJobName('rm-rf')).toBe(false);
    expect(isJobName('toString')).toBe(false);
    expect(isLoomError(parseError('rm-rf', {}), 'invalid_input')).toBe(true);
  });
});
