/**
 * A GitHub-compatible host on ONE loopback origin, the way DESIGN §4 describes GitHub Enterprise
 * Server: the REST API at `{origin}/api/v3` (the chores fake: installations, contents, issues, on top
 * of the shared fake's app JWT, installation tokens, pulls and check runs) and git smart-HTTP at
 * `{origin}/{owner}/{repo}.git` (the real `git http-backend` server, which accepts exactly the
 * installation tokens the API issued). A `loom start` child process reaches both through
 * `GHE_HOST` + `GHE_PROTOCOL=http` alone.
 *
 * The contents API reads the hosted bare repository at the requested ref, so what Loom reads through
 * the API is always what was committed (no second copy of `.loom/chores.yml` to keep in step).
 */
import { execFile } from 'node:child_process';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { ChoresFakeGithub } from '../../chores/support/chores-fake-github.js';
import { fakeInstallationId } from '../../github/support/fake-github.js';
import { startGitHttpServer, type GitHttpServer } from '../../github/support/git-http-server.js';
import { createHostedRepository, hostedRepositoryPath } from '../../github/support/hosted-repository.js';

const exec = promisify(execFile);
/** Where the shared fakes pretend to live (their `html_url`s). */
const fakeOrigin = 'http://ghe.test';

export interface GithubHost {
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  /** `127.0.0.1:PORT`, for `GHE_HOST`. */
  host: string;
  fake: ChoresFakeGithub;
  git: GitHttpServer;
  owner: string;
  repo: string;
  /** Commit of `main` after the initial files. */
  initialCommit: string;
  close(): Promise<void>;
}

export interface GithubHostOptions {
  owner: string;
  repo: string;
  files: Record<string, string>;
  appId: number;
  appPublicKey: string;
}

/** `git show {ref}:{path}` on the hosted repository; undefined when the file or ref is not there. */
async function readHostedFile(bare: string, ref: string, file: string): Promise<string | undefined> {
  try {
    const { stdout } = await exec('git', ['show', `${ref}:${file}`], {
      cwd: bare,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
      },
    });
    return stdout;
  } catch {
    return undefined;
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** Copies a git request to the git server and its answer back, byte for byte. */
function proxyToGit(gitUrl: string, request: IncomingMessage, response: ServerResponse): void {
  const target = new URL(gitUrl);
  const outgoing = httpRequest(
    {
      host: target.hostname,
      port: target.port,
      method: request.method,
      path: request.url,
      headers: request.headers,
    },
    (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    },
  );
  outgoing.on('error', () => {
    if (!response.headersSent) response.writeHead(502);
    response.end();
  });
  request.pipe(outgoing);
}

export async function startGithubHost(options: GithubHostOptions): Promise<GithubHost> {
  const fake = new ChoresFakeGithub({
    owner: options.owner,
    repo: options.repo,
    appId: options.appId,
    appPublicKey: options.appPublicKey,
    installationId: fakeInstallationId,
  });
  const git = await startGitHttpServer({ isValidToken: (token) => fake.github.isValidToken(token) });
  const initialCommit = await createHostedRepository(git.root, options.owner, options.repo, options.files);
  const bare = hostedRepositoryPath(git.root, options.owner, options.repo);
  const contentsPrefix = `/api/v3/repos/${options.owner}/${options.repo}/contents/`;
  let origin = '';

  const answerApi = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const text = await readBody(request);
    const url = new URL(request.url ?? '/', 'http://host.test');
    if (request.method === 'GET' && url.pathname.startsWith(contentsPrefix)) {
      // Refresh the fake's copy from git at the asked ref; the fake still checks the token.
      const file = decodeURIComponent(url.pathname.slice(contentsPrefix.length));
      const content = await readHostedFile(bare, url.searchParams.get('ref') ?? 'main', file);
      if (content === undefined) fake.files.delete(file);
      else fake.files.set(file, content);
    }
    const answer = fake.handle(
      request.method ?? 'GET',
      request.url ?? '/',
      text === '' ? undefined : JSON.parse(text),
      request.headers.authorization,
    );
    response.writeHead(answer.status, { 'content-type': 'application/json' });
    // The fakes write links on a made-up host; here they point at this host, as GitHub's would.
    response.end(JSON.stringify(answer.body).replaceAll(fakeOrigin, origin));
  };

  const server = createServer((request, response) => {
    if ((request.url ?? '').startsWith('/api/v3/')) {
      answerApi(request, response).catch(() => {
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ message: 'fake host error' }));
      });
      return;
    }
    proxyToGit(git.url, request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    host: `127.0.0.1:${port}`,
    fake,
    git,
    owner: options.owner,
    repo: options.repo,
    initialCommit,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await git.close();
    },
  };
}
