/**
 * A stateful stand-in for the part of GitHub's REST API the worker uses, at an Enterprise-style base
 * (`/api/v3`). It keeps comments, reactions, pull requests and check runs, so tests can assert
 * "exactly one PR" across attempts and processes. It answers like GitHub: app JWT for
 * `POST /app/installations/{id}/access_tokens`, installation tokens (`token ghs_…`) everywhere else.
 * `handle` is transport-free: `mountWithNock` serves it through nock (in-process tests) and
 * `listen` through a loopback node:http server (worker child processes).
 */
import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { listenOnLoopback, mountWithNock } from './serve-fake-api.js';

export interface FakeComment {
  id: number;
  issueNumber: number;
  body: string;
  user: { login: string; type: string; id: number };
  created_at: string;
  updated_at: string;
  html_url: string;
}

export interface FakePull {
  number: number;
  title: string;
  body: string;
  head: string;
  headSha?: string;
  base: string;
  draft: boolean;
  state: 'open' | 'closed';
  /** `owner/repo` of the head (a fork when it differs). */
  headRepo: string;
}

export interface FakeRequest {
  method: string;
  path: string;
  body: unknown;
}

export interface FakeGithubOptions {
  owner: string;
  repo: string;
  appId: number;
  appSlug: string;
  /** PEM public key of the app: app JWTs are verified against it. */
  appPublicKey: string;
  defaultBranch?: string;
}

export interface FakeResponse {
  status: number;
  body: unknown;
}

const botUserId = 9_000_001;
/** The installation every repository of the fake belongs to. */
export const fakeInstallationId = 4242;

export class FakeGithub {
  readonly permissions = new Map<string, string>();
  readonly issues = new Map<number, { title: string; body: string }>();
  readonly pulls: FakePull[] = [];
  readonly comments: FakeComment[] = [];
  /** Review comments (on lines of a PR's diff), `issueNumber` being the PR's number. */
  readonly reviewComments: FakeComment[] = [];
  readonly reactions: Array<{ target: string; content: string }> = [];
  readonly checkRuns: Array<Record<string, unknown>> = [];
  /** Labels and requested reviewers by issue/PR number. */
  readonly labels = new Map<number, string[]>();
  readonly requestedReviewers = new Map<number, string[]>();
  readonly requests: FakeRequest[] = [];
  /** Requests no route answered (a test asserts there are none). */
  readonly unexpected: FakeRequest[] = [];
  readonly issuedTokens = new Set<string>();
  /** Injected failures: the next `times` requests matching answer with `status`. */
  readonly faults: Array<{ method: string; path: RegExp; status: number; times: number }> = [];
  private nextId = 100;

  constructor(readonly options: FakeGithubOptions) {}

  get repoPath(): string {
    return `/repos/${this.options.owner}/${this.options.repo}`;
  }

  /** A comment by a person, as if posted on GitHub now (for steering and `stop`). */
  addComment(issueNumber: number, login: string, body: string, type = 'User'): FakeComment {
    const now = new Date().toISOString();
    const comment: FakeComment = {
      id: this.nextId++,
      issueNumber,
      body,
      user: { login, type, id: login.length * 1000 },
      created_at: now,
      updated_at: now,
      html_url: `http://ghe.test/${this.options.owner}/${this.options.repo}/issues/${issueNumber}#issuecomment-${this.nextId}`,
    };
    this.comments.push(comment);
    return comment;
  }

  /** A review comment on a line of PR `pullNumber`'s diff, as if posted now. */
  addReviewComment(pullNumber: number, login: string, body: string): FakeComment {
    const now = new Date().toISOString();
    const comment: FakeComment = {
      id: this.nextId++,
      issueNumber: pullNumber,
      body,
      user: { login, type: 'User', id: login.length * 1000 },
      created_at: now,
      updated_at: now,
      html_url: `http://ghe.test/${this.options.owner}/${this.options.repo}/pull/${pullNumber}#discussion_r${this.nextId}`,
    };
    this.reviewComments.push(comment);
    return comment;
  }

  commentsOn(issueNumber: number): FakeComment[] {
    return this.comments.filter((comment) => comment.issueNumber === issueNumber);
  }

  /** Comments written by the app (its bot account). */
  botComments(issueNumber: number): FakeComment[] {
    return this.commentsOn(issueNumber).filter(
      (comment) => comment.user.login === `${this.options.appSlug}[bot]`,
    );
  }

  isValidToken(token: string | undefined): boolean {
    return token !== undefined && this.issuedTokens.has(token);
  }

  private authorized(path: string, authorization: string | undefined): boolean {
    if (path.startsWith('/app/') || path === '/app' || path.endsWith('/installation')) {
      const token = authorization?.replace(/^bearer /i, '') ?? '';
      try {
        const claims = jwt.verify(token, this.options.appPublicKey, { algorithms: ['RS256'] }) as {
          iss?: unknown;
        };
        return String(claims.iss) === String(this.options.appId);
      } catch {
        return false;
      }
    }
    return this.isValidToken(authorization?.replace(/^token /i, ''));
  }

  handle(method: string, rawPath: string, body: unknown, authorization: string | undefined): FakeResponse {
    const url = new URL(rawPath, 'http://ghe.test');
    const path = url.pathname.replace(/^\/api\/v3/, '');
    const request = { method, path: `${path}${url.search}`, body };
    this.requests.push(request);
    if (!this.authorized(path, authorization)) return { status: 401, body: { message: 'Bad credentials' } };
    const fault = this.faults.find(
      (entry) => entry.times > 0 && entry.method === method && entry.path.test(path),
    );
    if (fault !== undefined) {
      fault.times -= 1;
      return { status: fault.status, body: { message: `injected ${fault.status}` } };
    }
    const answer = this.route(method, path, url.searchParams, (body ?? {}) as Record<string, unknown>);
    if (answer === undefined) {
      this.unexpected.push(request);
      return { status: 404, body: { message: 'Not Found' } };
    }
    return answer;
  }

  private route(
    method: string,
    path: string,
    query: URLSearchParams,
    body: Record<string, unknown>,
  ): FakeResponse | undefined {
    const repo = this.repoPath;
    let match: RegExpExecArray | null;
    if (method === 'POST' && /^\/app\/installations\/\d+\/access_tokens$/.test(path)) {
      const token = `ghs_${randomBytes(12).toString('hex')}`;
      this.issuedTokens.add(token);
      return {
        status: 201,
        body: {
          token,
          expires_at: new Date(Date.now() + 3_600_000).toISOString(),
          permissions: {},
          repository_selection: 'all',
        },
      };
    }
    if (method === 'GET' && (match = /^\/users\/([^/]+)$/.exec(path))) {
      const login = decodeURIComponent(match[1] ?? '');
      return {
        status: 200,
        body: {
          login,
          id: login.endsWith('[bot]') ? botUserId : 1,
          type: login.endsWith('[bot]') ? 'Bot' : 'User',
        },
      };
    }
    if (method === 'GET' && path === '/app/installations') {
      return {
        status: 200,
        body: [
          {
            id: fakeInstallationId,
            app_id: this.options.appId,
            app_slug: this.options.appSlug,
            account: { login: this.options.owner },
          },
        ],
      };
    }
    if (method === 'GET' && path === '/installation/repositories') {
      const full = `${this.options.owner}/${this.options.repo}`;
      return {
        status: 200,
        body: {
          total_count: 1,
          repositories: [{ name: this.options.repo, full_name: full, owner: { login: this.options.owner } }],
        },
      };
    }
    if (method === 'GET' && path === '/app') {
      return { status: 200, body: { id: this.options.appId, slug: this.options.appSlug } };
    }
    if (!path.startsWith(repo)) return undefined;
    const rest = path.slice(repo.length);
    if (method === 'GET' && rest === '/installation') {
      return {
        status: 200,
        body: { id: fakeInstallationId, app_id: this.options.appId, app_slug: this.options.appSlug },
      };
    }
    if (method === 'GET' && rest === '') {
      return {
        status: 200,
        body: {
          full_name: `${this.options.owner}/${this.options.repo}`,
          default_branch: this.options.defaultBranch ?? 'main',
        },
      };
    }
    if (method === 'GET' && (match = /^\/collaborators\/([^/]+)\/permission$/.exec(rest))) {
      const role = this.permissions.get(decodeURIComponent(match[1] ?? '')) ?? 'read';
      const permission = role === 'maintain' ? 'write' : role === 'triage' ? 'read' : role;
      return { status: 200, body: { permission, role_name: role, user: { login: match[1] } } };
    }
    if (method === 'POST' && (match = /^\/(issues|pulls)\/comments\/(\d+)\/reactions$/.exec(rest))) {
      this.reactions.push({ target: `${match[1]}-comment:${match[2]}`, content: String(body.content) });
      return { status: 201, body: { id: this.nextId++, content: body.content } };
    }
    if (method === 'POST' && (match = /^\/issues\/(\d+)\/reactions$/.exec(rest))) {
      this.reactions.push({ target: `issue:${match[1]}`, content: String(body.content) });
      return { status: 201, body: { id: this.nextId++, content: body.content } };
    }
    if ((match = /^\/issues\/(\d+)\/comments$/.exec(rest)))
      return this.issueComments(method, Number(match[1]), query, body);
    if (method === 'PATCH' && (match = /^\/issues\/comments\/(\d+)$/.exec(rest))) {
      const comment = this.comments.find((entry) => entry.id === Number(match?.[1]));
      if (comment === undefined) return { status: 404, body: { message: 'Not Found' } };
      comment.body = String(body.body);
      comment.updated_at = new Date().toISOString();
      return { status: 200, body: comment };
    }
    if (method === 'GET' && (match = /^\/issues\/(\d+)$/.exec(rest))) return this.issue(Number(match[1]));
    if (method === 'POST' && (match = /^\/issues\/(\d+)\/labels$/.exec(rest))) {
      const number = Number(match[1]);
      const added = (body.labels as string[] | undefined) ?? [];
      this.labels.set(number, [...new Set([...(this.labels.get(number) ?? []), ...added])]);
      return { status: 200, body: (this.labels.get(number) ?? []).map((name) => ({ name })) };
    }
    if (method === 'POST' && (match = /^\/pulls\/(\d+)\/requested_reviewers$/.exec(rest))) {
      const number = Number(match[1]);
      this.requestedReviewers.set(number, (body.reviewers as string[] | undefined) ?? []);
      return { status: 201, body: { number } };
    }
    if ((match = /^\/pulls(?:\/(\d+))?$/.exec(rest))) return this.pullRoute(method, match[1], query, body);
    if (method === 'GET' && (match = /^\/pulls\/(\d+)\/comments$/.exec(rest))) {
      const since = query.get('since');
      const number = Number(match[1]);
      const list = this.reviewComments.filter(
        (comment) => comment.issueNumber === number && (since === null || comment.updated_at >= since),
      );
      return { status: 200, body: list };
    }
    if (method === 'POST' && rest === '/check-runs') {
      const id = this.nextId++;
      this.checkRuns.push({ id, ...body });
      return { status: 201, body: { id, ...body } };
    }
    return undefined;
  }

  private issueComments(
    method: string,
    number: number,
    query: URLSearchParams,
    body: Record<string, unknown>,
  ): FakeResponse | undefined {
    if (method === 'POST') {
      const comment = this.addComment(number, `${this.options.appSlug}[bot]`, String(body.body), 'Bot');
      return { status: 201, body: comment };
    }
    if (method !== 'GET') return undefined;
    const since = query.get('since');
    const list = this.commentsOn(number).filter((comment) => since === null || comment.updated_at >= since);
    return { status: 200, body: list };
  }

  private issue(number: number): FakeResponse {
    const pull = this.pulls.find((entry) => entry.number === number);
    const issue = this.issues.get(number) ?? (pull ? { title: pull.title, body: pull.body } : undefined);
    if (issue === undefined) return { status: 404, body: { message: 'Not Found' } };
    const kind = pull ? 'pull' : 'issues';
    return {
      status: 200,
      body: {
        number,
        title: issue.title,
        body: issue.body,
        html_url: `http://ghe.test/${this.options.owner}/${this.options.repo}/${kind}/${number}`,
        ...(pull ? { pull_request: { url: 'x' } } : {}),
      },
    };
  }

  private pullJson(pull: FakePull): Record<string, unknown> {
    const full = `${this.options.owner}/${this.options.repo}`;
    return {
      number: pull.number,
      title: pull.title,
      body: pull.body,
      draft: pull.draft,
      state: pull.state,
      html_url: `http://ghe.test/${full}/pull/${pull.number}`,
      head: { ref: pull.head, sha: pull.headSha ?? '0'.repeat(40), repo: { full_name: pull.headRepo } },
      base: { ref: pull.base, sha: '0'.repeat(40), repo: { full_name: full } },
    };
  }

  private pullRoute(
    method: string,
    number: string | undefined,
    query: URLSearchParams,
    body: Record<string, unknown>,
  ): FakeResponse | undefined {
    if (number === undefined && method === 'GET') {
      const head = query.get('head');
      const state = query.get('state') ?? 'open';
      const list = this.pulls.filter(
        (pull) =>
          (head === null || `${this.options.owner}:${pull.head}` === head) &&
          (state === 'all' || pull.state === state),
      );
      return { status: 200, body: list.map((pull) => this.pullJson(pull)) };
    }
    if (number === undefined && method === 'POST') {
      if (this.pulls.some((pull) => pull.head === body.head && pull.state === 'open')) {
        return {
          status: 422,
          body: { message: 'Validation Failed', errors: [{ message: 'A pull request already exists' }] },
        };
      }
      const pull: FakePull = {
        number: this.nextId++,
        title: String(body.title),
        body: String(body.body),
        head: String(body.head),
        base: String(body.base),
        draft: body.draft === true,
        state: 'open',
        headRepo: `${this.options.owner}/${this.options.repo}`,
      };
      this.pulls.push(pull);
      return { status: 201, body: this.pullJson(pull) };
    }
    const pull = this.pulls.find((entry) => entry.number === Number(number));
    if (pull === undefined) return { status: 404, body: { message: 'Not Found' } };
    if (method === 'GET') return { status: 200, body: this.pullJson(pull) };
    if (method === 'PATCH') {
      if (typeof body.body === 'string') pull.body = body.body;
      return { status: 200, body: this.pullJson(pull) };
    }
    return undefined;
  }

  /** Serves the fake through nock at `baseUrl` (e.g. `http://ghe.test/api/v3`). */
  mountWithNock(baseUrl: string): void {
    mountWithNock(baseUrl, this.handle.bind(this));
  }

  /** Serves the fake on a loopback port; resolves to the API base URL (`…/api/v3`). */
  listen(): Promise<{ apiUrl: string; close(): Promise<void> }> {
    return listenOnLoopback(this.handle.bind(this));
  }
}
