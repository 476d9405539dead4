/**
 * The process-facing edges of an interactive command, passed in so the command code never reaches
 * for globals: streams, environment, working directory and the signal source.
 */
export interface CliOutput extends NodeJS.WritableStream {
  isTTY?: boolean;
  columns?: number;
}

export interface CliIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: CliOutput;
  stderr: CliOutput;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Where SIGINT / SIGTERM arrive (the process). */
  signals: NodeJS.EventEmitter;
}

export function processIo(): CliIo {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    signals: process,
  };
}
