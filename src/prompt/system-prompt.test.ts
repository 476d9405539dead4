import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRepositoryInstructions, maxInstructionBytes } from './load-repository-instructions.js';
import { workspaceFileReader } from './read-workspace-file.js';
import { buildSystemPrompt } from './system-prompt.js';

describe('loadRepositoryInstructions', () => {
  it('reads AGENTS.md, CLAUDE.md and .loom/instructions.md when present, in that order', async () => {
    const workspace = await mkdtemp(join(tmpdir(), 'loom-prompt-'));
    await mkdir(join(workspace, '.loom'));
    await writeFile(join(workspace, '.loom/instructions.md'), 'Use pnpm.');
    await writeFile(join(workspace, 'AGENTS.md'), 'Run npm test before answering.');
    const found = await loadRepositoryInstructions(workspaceFileReader(workspace));
    expect(found).toEqual([
      { path: 'AGENTS.md', content: 'Run npm test before answering.' },
      { path: '.loom/instructions.md', content: 'Use pnpm.' },
    ]);
  });

  it('caps a huge instructions file', async () => {
    const huge = 'x'.repeat(maxInstructionBytes * 2);
    const found = await loadRepositoryInstructions(async (path) => (path === 'CLAUDE.md' ? huge : undefined));
    expect(found[0]?.content.length).toBeLessThan(maxInstructionBytes + 20);
    expect(found[0]?.content.endsWith('[truncated]')).toBe(true);
  });
});

describe('buildSystemPrompt', () => {
  it('includes the workspace, the repository and its instructions', () => {
    const prompt = buildSystemPrompt({
      workspace: '/workspace',
      repository: 'acme/web',
      instructions: [{ path: 'AGENTS.md', content: 'Always run make check.' }],
    });
    expect(prompt).toContain('Workspace: /workspace');
    expect(prompt).toContain('Repository: acme/web');
    expect(prompt).toContain('Repository instructions from AGENTS.md');
    expect(prompt).toContain('Always run make check.');
    expect(prompt).toMatch(/run the project's own tests/i);
  });
});
