/**
 * The GitHub calls chores make, as a port: list an installation's repositories, read
 * `.loom/chores.yml`, report an invalid file as a check run, and keep the "Loom chores" dashboard
 * issue. The only adapter (`createOctokitChoresApi`) imports Octokit. Every method throws `LoomError`.
 */

export interface ChoresRepository {
  owner: string;
  repo: string;
}

export interface InstallationRepository extends ChoresRepository {
  defaultBranch: string;
}

export interface ChoresCheckRunInput {
  name: string;
  headSha: string;
  conclusion: 'success' | 'failure';
  title: string;
  summary: string;
  text?: string;
  /** Line annotations on the chores file (GitHub shows them on the commit's diff). */
  annotations?: Array<{ path: string; line: number; message: string; title?: string }>;
}

export interface IssueRef {
  number: number;
  url: string;
}

export interface ChoresInstallationClient {
  /** Every repository the installation can access. */
  listRepositories(): Promise<InstallationRepository[]>;
  getDefaultBranch(repository: ChoresRepository): Promise<string>;
  /** A file's text at `ref`; undefined when it does not exist. */
  readFile(repository: ChoresRepository, path: string, ref: string): Promise<string | undefined>;
  createCheckRun(repository: ChoresRepository, input: ChoresCheckRunInput): Promise<{ id: number }>;
  /** An open issue whose body contains `marker`, if any. */
  findIssueWithMarker(repository: ChoresRepository, marker: string): Promise<IssueRef | undefined>;
  createIssue(repository: ChoresRepository, input: { title: string; body: string }): Promise<IssueRef>;
  /** `not_found` when the issue is gone. */
  updateIssue(
    repository: ChoresRepository,
    issueNumber: number,
    input: { body?: string; state?: 'open' | 'closed' },
  ): Promise<void>;
}

export interface ChoresGithubApi {
  /** Ids of every installation of the app. */
  listInstallations(): Promise<number[]>;
  forInstallation(installationId: number): Promise<ChoresInstallationClient>;
}
