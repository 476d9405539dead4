/**
 * The two images, read as text (no Docker engine here): what each installs, who it runs as, what
 * it runs, what it copies (all of it present in the repository), and that no secret or local state
 * can enter the build context.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from './support/load-manifests.js';

const dockerDirectory = path.join(repositoryRoot, 'infra', 'docker');
const read = (file: string): string => readFileSync(path.join(dockerDirectory, file), 'utf8');
const instructions = (text: string): string[] =>
  text
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));
const finalStage = (text: string): string[] => {
  const lines = instructions(text);
  const lastFrom = lines.map((line) => line.startsWith('FROM ')).lastIndexOf(true);
  return lines.slice(lastFrom);
};

describe.each(['loom.Dockerfile', 'weaver.Dockerfile'])('%s', (file) => {
  const text = read(file);
  const stage = finalStage(text);

  it('builds on Node 20 and runs as uid 1000, never root', () => {
    expect(
      instructions(text)
        .filter((line) => line.startsWith('FROM '))
        .every((line) => /^FROM node:20-bookworm/.test(line)),
    ).toBe(true);
    const users = stage.filter((line) => line.startsWith('USER '));
    expect(users.at(-1)).toBe('USER 1000:1000');
  });

  it('puts `loom` on the PATH, runs tini as PID 1, and installs production dependencies from the lockfile', () => {
    expect(stage.join('\n')).toContain('ln -s /opt/loom/src/cli/loom.js /usr/local/bin/loom');
    expect(stage.find((line) => line.startsWith('ENTRYPOINT'))).toMatch(/^ENTRYPOINT \["tini", "--"/);
    expect(text).toContain('npm ci --omit=dev');
  });

  it('copies only what exists in the repository, and no secret', () => {
    for (const line of stage.filter((entry) => entry.startsWith('COPY ') && !entry.includes('--from'))) {
      const sources = line.split(/\s+/).slice(1, -1);
      for (const source of sources)
        expect(existsSync(path.join(repositoryRoot, source)), `${file}: ${source}`).toBe(true);
    }
    expect(stage.filter((line) => line.startsWith('ENV ')).join(' ')).not.toMatch(
      /KEY|TOKEN|SECRET|PASSWORD/,
    );
    const ignore = read(`${file}.dockerignore`).split('\n');
    for (const pattern of ['**', '**/.env', '**/.loom', '**/node_modules', '**/*.pem'])
      expect(ignore).toContain(pattern);
  });
});

describe('the weaver image', () => {
  const stage = finalStage(read('weaver.Dockerfile')).join('\n');

  it('has git, ripgrep and build tools (the full Node image), and works in /workspace with HOME in /tmp', () => {
    expect(stage).toMatch(/^FROM node:20-bookworm$/m);
    expect(stage).toMatch(/apt-get install -y --no-install-recommends ripgrep tini jq zip unzip/);
    expect(stage).toMatch(/^WORKDIR \/workspace$/m);
    expect(stage).toMatch(/HOME=\/tmp/);
  });
});

describe('the Loom image', () => {
  const stage = finalStage(read('loom.Dockerfile')).join('\n');

  it('starts `loom start` by default and serves port 3000', () => {
    expect(stage).toContain('ENTRYPOINT ["tini", "--", "loom"]');
    expect(stage).toContain('CMD ["start"]');
    expect(stage).toContain('EXPOSE 3000');
    expect(stage).toMatch(/install -y --no-install-recommends git tini/);
  });
});
