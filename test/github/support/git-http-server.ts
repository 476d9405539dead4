/**
 * A real git smart-HTTP server for tests: `git http-backend` (the CGI program git ships) behind a
 * small node:http server on loopback, with a basic-auth check like GitHub's: the password must be a
 * token the test accepts (the user name is ignored, as `x-access-token` is on GitHub). Repositories
 * are bare repositories under `root/{owner}/{repo}.git`. Every request is recorded, so tests can
 * assert that a push happened, or that none did.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface GitHttpRequest {
  method: string;
  path: string;
  /** `git-upload-pack` (fetch) or `git-receive-pack` (push), when the request is one of them. */
  service: 'git-upload-pack' | 'git-receive-pack' | undefined;
  authorized: boolean;
  /** The password the client sent, for tests that check which token was used. */
  password: string | undefined;
}

export interface GitHttpServer {
  /** Base URL: repositories are at `{url}/{owner}/{repo}.git`. */
  url: string;
  /** Directory holding the bare repositories. */
  root: string;
  requests: GitHttpRequest[];
  /** Tokens accepted from now on (replaces the list). */
  acceptTokens(tokens: string[]): void;
  /** Receive-pack requests that were authorized, i.e. pushes that reached git. */
  pushes(): GitHttpRequest[];
  close(): Promise<void>;
}

function credentialsOf(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined || !header.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? undefined : decoded.slice(colon + 1);
}

function serviceOf(url: URL): GitHttpRequest['service'] {
  const fromQuery = url.searchParams.get('service');
  const name = fromQuery ?? url.pathname.split('/').at(-1);
  return name === 'git-upload-pack' || name === 'git-receive-pack' ? name : undefined;
}

/** Runs the CGI program for one request and copies its answer (CGI headers, then the body) back. */
function runBackend(root: string, request: IncomingMessage, response: ServerResponse, url: URL): void {
  const child = spawn('git', ['http-backend'], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      REQUEST_METHOD: request.method ?? 'GET',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: request.headers['content-type'] ?? '',
      // A user name switches receive-pack on (http-backend refuses anonymous pushes).
      REMOTE_USER: 'x-access-token',
      REMOTE_ADDR: '127.0.0.1',
      GIT_PROTOCOL: String(request.headers['git-protocol'] ?? ''),
      HTTP_CONTENT_ENCODING: String(request.headers['content-encoding'] ?? ''),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  request.pipe(child.stdin);
  child.stdin.on('error', () => undefined);
  let buffered = Buffer.alloc(0);
  let headersSent = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (headersSent) return void response.write(chunk);
    buffered = Buffer.concat([buffered, chunk]);
    const end = buffered.indexOf('\r\n\r\n');
    if (end === -1) return;
    let status = 200;
    for (const line of buffered.subarray(0, end).toString('utf8').split('\r\n')) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
      else response.setHeader(name, value);
    }
    response.writeHead(status);
    headersSent = true;
    response.write(buffered.subarray(end + 4));
  });
  child.stdout.on('end', () => {
    if (!headersSent) response.writeHead(500);
    response.end();
  });
}

export interface GitHttpServerOptions {
  /** Accepted passwords (tokens). */
  tokens?: string[];
  /** Or a check, e.g. "was this installation token issued by the fake GitHub API?". */
  isValidToken?: (token: string) => boolean;
}

export async function startGitHttpServer(options: GitHttpServerOptions): Promise<GitHttpServer> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'loom-git-host-'));
  let tokens = [...(options.tokens ?? [])];
  const requests: GitHttpRequest[] = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://git.test');
    const password = credentialsOf(request);
    const authorized =
      password !== undefined && (tokens.includes(password) || options.isValidToken?.(password) === true);
    requests.push({
      method: request.method ?? 'GET',
      path: url.pathname,
      service: serviceOf(url),
      authorized,
      password,
    });
    if (!authorized) {
      request.resume();
      response.writeHead(401, { 'www-authenticate': 'Basic realm="git"' });
      return void response.end('authentication required\n');
    }
    runBackend(root, request, response, url);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    root,
    requests,
    acceptTokens: (next) => {
      tokens = [...next];
    },
    pushes: () =>
      requests.filter(
        (entry) => entry.service === 'git-receive-pack' && entry.authorized && entry.method === 'POST',
      ),
    close: async () => {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await rm(root, { recursive: true, force: true });
    },
  };
}
