export { buildSystemPrompt } from './system-prompt.js';
export type { SystemPromptInput } from './system-prompt.js';
export {
  loadRepositoryInstructions,
  repositoryInstructionFiles,
  maxInstructionBytes,
} from './load-repository-instructions.js';
export type { RepositoryInstructions } from './load-repository-instructions.js';
export { workspaceFileReader } from './read-workspace-file.js';
