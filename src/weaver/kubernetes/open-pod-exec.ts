/**
 * An exec stream into a pod (the API server's websocket channel protocol, v5 or v4: channel 0
 * stdin, 1 stdout, 2 stderr, 3 the final Status) as plain Node streams. The client library ends
 * stdout when the Status arrives; this adds the other ending, a stream that drops without one (API
 * server restart, pod deleted, network), so readers never wait forever.
 */
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { Exec, type KubeConfig, type V1Status } from '@kubernetes/client-node';

export interface PodExecEnd {
  /** The Status on the error channel (`Success`, or `Failure` with an exit code); undefined if the stream dropped. */
  status: V1Status | undefined;
}

export interface PodExecSession {
  /** The command's stdout; ends when the exec ends, whichever way. */
  stdout: Readable;
  stderr: Readable;
  /** The command's stdin; ending it sends the v5 close signal (v4: closes the stream). */
  stdin: Writable;
  /** Settles once the stream is closed. */
  ended: Promise<PodExecEnd>;
  /** Ends stdin and closes the stream (forcibly after 2 s). */
  close(): void;
}

export interface PodExecTarget {
  namespace: string;
  pod: string;
  container: string;
  command: string[];
}

export async function openPodExec(kubeConfig: KubeConfig, target: PodExecTarget): Promise<PodExecSession> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  let status: V1Status | undefined;
  const socket = await new Exec(kubeConfig).exec(
    target.namespace,
    target.pod,
    target.container,
    target.command,
    stdout,
    stderr,
    stdin,
    false,
    (received) => {
      status = received;
    },
  );
  const ended = new Promise<PodExecEnd>((resolve) => {
    socket.on('close', () => {
      if (!stdout.writableEnded) stdout.end();
      if (!stderr.writableEnded) stderr.end();
      resolve({ status });
    });
  });
  // Errors after the handshake are followed by 'close', which is where they are handled.
  socket.on('error', () => undefined);
  return {
    stdout,
    stderr,
    stdin,
    ended,
    close() {
      if (!stdin.writableEnded) stdin.end();
      socket.close();
      setTimeout(() => socket.terminate(), 2000).unref();
    },
  };
}
