/**
 * The `loom` command line. Each command lives in its own file under `commands/` and registers
 * itself on the program; add a command by adding a file and one line below.
 */
import { CommanderError } from 'commander';
import { isLoomError } from '../errors/index.js';
import { createProgram } from './create-program.js';

/** Runs the CLI and resolves to the process exit code. Long-running commands resolve on shutdown. */
export async function main(argv: string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (isLoomError(error)) {
      process.stderr.write(`loom: ${error.message}\n`);
      return error.code === 'config_invalid' ? 78 : 1;
    }
    process.stderr.write(
      `loom: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 1;
  }
}
