/**
 * The GitHub API a chores test needs, on top of the shared `FakeGithub` (app JWT, installation
 * tokens, check runs): the app's installations, an installation's repositories, file contents on
 * a branch, and issues (list, create, edit). Served through nock at an Enterprise-style base.
 */
import jwt from 'jsonwebtoken';
import { FakeGithub, type FakeResponse } from '../../github/support/fake-github.js';
import { mountWithNock } from '../../github/support/serve-fake-api.js';

export const choresApiUrl = 'http://ghe.test/api/v3';

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
}

export class ChoresFakeGithub {
  readonly github: FakeGithub;
  /** `path` → text on the default branch. */
  readonly files = new Map<string, string>();
  readonly issues: FakeIssue[] = [];
  private nextIssue = 1;

  constructor(
    readonly options: {
      owner: string;
      repo: string;
      appId: number;
      appPublicKey: string;
      installationId: number;
    },
  ) {
    this.github = new FakeGithub({ ...options, appSlug: 'loom-bot', defaultBranch: 'main' });
  }

  get fullName(): string {
    return `${this.options.owner}/${this.options.repo}`;
  }

  handle(method: string, rawPath: string, body: unknown, authorization: string | undefined): FakeResponse {
    const url = new URL(rawPath, 'http://ghe.test');
    const path = url.pathname.replace(/^\/api\/v3/, '');
    const fault = this.github.faults.find(
      (entry) => entry.times > 0 && entry.method === method && entry.path.test(path),
    );
    if (fault !== undefined) {
      fault.times -= 1;
      this.github.requests.push({ method, path, body });
      return { status: fault.status, body: { message: `injected ${fault.status}` } };
    }
    const own = this.route(method, path, (body ?? {}) as Record<string, unknown>, authorization);
    if (own !== undefined) {
      this.github.requests.push({ method, path, body });
      return own;
    }
    return this.github.handle(method, rawPath, body, authorization);
  }

  private route(
    method: string,
    path: string,
    body: Record<string, unknown>,
    authorization: string | undefined,
  ): FakeResponse | undefined {
    const repoPath = `/repos/${this.fullName}`;
    if (method === 'GET' && path === '/app/installations') {
      const token = authorization?.replace(/^bearer /i, '') ?? '';
      try {
        jwt.verify(token, this.options.appPublicKey, { algorithms: ['RS256'] });
      } catch {
        return { status: 401, body: { message: 'Bad credentials' } };
      }
      return {
        status: 200,
        body: [{ id: this.options.installationId, account: { login: this.options.owner } }],
      };
    }
    const isRepositoryRoute =
      path === '/installation/repositories' ||
      path.startsWith(`${repoPath}/contents/`) ||
      path.startsWith(`${repoPath}/issues`);
    if (!isRepositoryRoute) return undefined;
    if (!this.github.isValidToken(authorization?.replace(/^token /i, ''))) {
      return { status: 401, body: { message: 'Bad credentials' } };
    }
    if (method === 'GET' && path === '/installation/repositories') {
      return {
        status: 200,
        body: {
          total_count: 1,
          repositories: [
            {
              name: this.options.repo,
              full_name: this.fullName,
              owner: { login: this.options.owner },
              default_branch: 'main',
            },
          ],
        },
      };
    }
    if (method === 'GET' && path.startsWith(`${repoPath}/contents/`)) {
      const file = this.files.get(decodeURIComponent(path.slice(`${repoPath}/contents/`.length)));
      if (file === undefined) return { status: 404, body: { message: 'Not Found' } };
      return {
        status: 200,
        body: { type: 'file', encoding: 'base64', content: Buffer.from(file).toString('base64') },
      };
    }
    return this.issueRoute(method, path.slice(`${repoPath}/issues`.length), body);
  }

  private issueRoute(method: string, rest: string, body: Record<string, unknown>): FakeResponse | undefined {
    const json = (issue: FakeIssue) => ({
      ...issue,
      html_url: `http://ghe.test/${this.fullName}/issues/${issue.number}`,
    });
    if (method === 'GET' && rest === '') {
      return { status: 200, body: this.issues.filter((issue) => issue.state === 'open').map(json) };
    }
    if (method === 'POST' && rest === '') {
      const issue: FakeIssue = {
        number: this.nextIssue++,
        title: String(body.title),
        body: String(body.body),
        state: 'open',
      };
      this.issues.push(issue);
      return { status: 201, body: json(issue) };
    }
    const match = /^\/(\d+)$/.exec(rest);
    if (method === 'PATCH' && match !== null) {
      const issue = this.issues.find((entry) => entry.number === Number(match[1]));
      if (issue === undefined) return { status: 404, body: { message: 'Not Found' } };
      if (typeof body.body === 'string') issue.body = body.body;
      if (body.state === 'open' || body.state === 'closed') issue.state = body.state;
      return { status: 200, body: json(issue) };
    }
    return undefined;
  }

  mountWithNock(): void {
    mountWithNock(choresApiUrl, this.handle.bind(this));
  }
}
