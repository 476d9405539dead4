import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../logging/index.js';
import { evaluatePolicy } from './evaluate-policy.js';
import { filePolicySource } from './policy-source.js';

const allowAll =
  'version: 1\nslack:\n  rules:\n    - effect: allow\n      workspaces: ["*"]\n      repositories: ["*"]\n';
const request = {
  action: 'run' as const,
  workspaceId: 'T1',
  channelId: 'C1',
  userId: 'U1',
  repository: 'a/b',
};

let directory: string;
let path: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'loom-policy-'));
  path = join(directory, 'policy.yml');
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

function source() {
  return filePolicySource(path, { logger: createSilentLogger(), checkIntervalMs: 0 });
}

describe('filePolicySource with evaluatePolicy', () => {
  it('allows what the file allows', async () => {
    await writeFile(path, allowAll);
    expect(await evaluatePolicy(source(), request)).toMatchObject({ effect: 'allow' });
  });

  it('denies with policy_error while the file is missing', async () => {
    expect(await evaluatePolicy(source(), request)).toEqual({ effect: 'deny', reason: 'policy_error' });
  });

  it('fails closed when the file turns invalid, and recovers when it is fixed', async () => {
    await writeFile(path, allowAll);
    const policy = source();
    expect((await evaluatePolicy(policy, request)).effect).toBe('allow');
    await writeFile(path, `${allowAll}      bogus: true\n`);
    expect(await evaluatePolicy(policy, request)).toEqual({ effect: 'deny', reason: 'policy_error' });
    await writeFile(path, `${allowAll}    - effect: deny\n      users: [U1]\n`);
    expect(await evaluatePolicy(policy, request)).toMatchObject({ effect: 'deny', reason: 'explicit_deny' });
  });

  it('keeps the loaded policy between checks', async () => {
    await writeFile(path, allowAll);
    let clock = 0;
    const policy = filePolicySource(path, {
      logger: createSilentLogger(),
      checkIntervalMs: 1000,
      now: () => clock,
    });
    expect((await evaluatePolicy(policy, request)).effect).toBe('allow');
    await rm(path);
    clock = 999;
    expect((await evaluatePolicy(policy, request)).effect).toBe('allow');
    clock = 1000;
    expect(await evaluatePolicy(policy, request)).toEqual({ effect: 'deny', reason: 'policy_error' });
  });
});
