/**
 * The `Weaver` port: where tool calls run. The agent loop stays in the worker and hands each call
 * to a weaver; the repository travels in and out as git bundles, so no credential enters it.
 */
import type { ToolExecutor } from '../tools/tool-types.js';

export interface Weaver extends ToolExecutor {
  /** The workspace path as tools and commands inside the weaver see it (e.g. `/workspace`). */
  readonly workspace: string;
  /**
   * Brings the commits of a git bundle into the workspace: the first import clones it (branches
   * under `refs/remotes/origin/*`, the bundle's HEAD branch checked out), later imports fetch it.
   */
  importBundle(bundle: Buffer): Promise<void>;
  /**
   * A git bundle of the commits on the checked-out branch since `baseRef` (a commit or ref the
   * worker already has), or undefined when there are none.
   */
  exportBundle(baseRef: string): Promise<Buffer | undefined>;
  /** Stops the weaver; in-flight calls end as error results. Safe to call more than once. */
  close(): Promise<void>;
}
