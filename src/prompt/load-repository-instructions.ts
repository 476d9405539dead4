/**
 * Repository instructions (`AGENTS.md`, `CLAUDE.md`, `.loom/instructions.md`). The reader is passed in
 * so the GitHub worker can read them from the base branch (never from a pull request's head) and the
 * local CLI from the workspace.
 */
export interface RepositoryInstructions {
  path: string;
  content: string;
}

/** Files read, in order; all that exist are used. */
export const repositoryInstructionFiles = ['AGENTS.md', 'CLAUDE.md', '.loom/instructions.md'] as const;

/** Per-file cap, so a huge file cannot crowd out the conversation. */
export const maxInstructionBytes = 32 * 1024;

export async function loadRepositoryInstructions(
  readFile: (relativePath: string) => Promise<string | undefined>,
): Promise<RepositoryInstructions[]> {
  const found: RepositoryInstructions[] = [];
  for (const path of repositoryInstructionFiles) {
    const content = await readFile(path);
    if (content === undefined || content.trim() === '') continue;
    const capped =
      Buffer.byteLength(content) > maxInstructionBytes
        ? `${Buffer.from(content).subarray(0, maxInstructionBytes).toString('utf8')}\n[truncated]`
        : content;
    found.push({ path, content: capped.trim() });
  }
  return found;
}
