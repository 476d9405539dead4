/**
 * The API server's exec endpoint over a websocket, channel protocol v5 (or v4): every binary
 * message starts with a channel byte, 0 stdin, 1 stdout, 2 stderr, 3 the final Status (JSON), 4
 * resize; v5 adds 255 = "close this channel" (the client's end of stdin). The command runs in the
 * fake container; when it exits the Status goes out on channel 3 and the socket closes.
 */
import type { WebSocket } from 'ws';
import type { FakeContainer } from './fake-container.js';

export const stdinChannel = 0;
export const stdoutChannel = 1;
export const stderrChannel = 2;
export const statusChannel = 3;
export const closeChannel = 255;

function exitStatus(
  code: number | null,
  signal: NodeJS.Signals | null,
  command: string[],
): Record<string, unknown> {
  if (code === 0) return { metadata: {}, status: 'Success' };
  const exitCode = code ?? 128 + (signal === 'SIGKILL' ? 9 : 15);
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}

function frame(channel: number, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from([channel]), data]);
}

/** Serves one exec session on `socket`; `onEnd` is told when it is over. */
export function serveExec(
  socket: WebSocket,
  container: FakeContainer,
  command: string[],
  onEnd: () => void,
): void {
  const child = container.spawn(command);
  child.stdout?.on('data', (data: Buffer) => socket.send(frame(stdoutChannel, data)));
  child.stderr?.on('data', (data: Buffer) => socket.send(frame(stderrChannel, data)));
  child.stdin?.on('error', () => undefined);
  socket.on('message', (data: Buffer) => {
    const channel = data[0];
    if (channel === stdinChannel) child.stdin?.write(data.subarray(1));
    else if (channel === closeChannel && data[1] === stdinChannel) child.stdin?.end();
  });
  socket.on('close', () => {
    child.stdin?.end();
    // A real runtime leaves an exec'd process without its stream to its fate; ours ends it.
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    onEnd();
  });
  child.on('close', (code, signal) => {
    if (socket.readyState === socket.OPEN) {
      socket.send(frame(statusChannel, Buffer.from(JSON.stringify(exitStatus(code, signal, command)))));
      socket.close(1000);
    }
  });
  child.on('error', (error) => {
    if (socket.readyState !== socket.OPEN) return;
    const status = {
      metadata: {},
      status: 'Failure',
      message: `exec failed: ${error.message}`,
      reason: 'InternalError',
    };
    socket.send(frame(statusChannel, Buffer.from(JSON.stringify(status))));
    socket.close(1000);
  });
}
