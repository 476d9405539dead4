/**
 * Puts the calling thread in Linux's `SCHED_IDLE` class: it runs when a core is free, and any other
 * thread that wakes up takes its core at once. The SQLite usage writer runs there so that its bursts
 * (~8 ms of CPU per 500-event batch) never hold up a proxied call on a small machine: on a 2-core VM
 * the writer at normal priority cost 0.6-1 ms of the proxy's p99 at concurrency 1 (specs/proxy.md,
 * sixteenth session), and nice 19 did not help, as Linux's scheduler does not always let a waking
 * task preempt a niced one.
 *
 * Node has no `sched_setscheduler`, so util-linux's `chrt` does it, once per thread. Lowering needs no
 * privilege; going back does (`CAP_SYS_NICE`), which is why a thread that falls behind is replaced
 * rather than raised (threaded-usage-writer.ts). Anywhere this cannot work (not Linux, no `chrt`, a
 * sandbox refusing the call) the thread keeps its normal priority.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';

/** Linux's number for the `SCHED_IDLE` policy (`/proc/<pid>/task/<tid>/stat`, field 41). */
export const schedIdlePolicy = 5;

/** Moves the calling thread to `SCHED_IDLE`; true when it is there. */
export function lowerToIdlePriority(): boolean {
  const threadId = callingThreadId();
  if (threadId === undefined) return false;
  try {
    execFileSync('chrt', ['--idle', '--pid', '0', String(threadId)], { stdio: 'ignore', timeout: 5000 });
  } catch {
    return false;
  }
  return schedulingPolicy(process.pid, threadId) === schedIdlePolicy;
}

/** The Linux thread id of the caller (`/proc/thread-self` links to `<pid>/task/<tid>`). */
function callingThreadId(): number | undefined {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
    return Number.isInteger(threadId) ? threadId : undefined;
  } catch {
    return undefined;
  }
}

/** A thread's scheduling policy as Linux reports it; undefined where there is no /proc. */
export function schedulingPolicy(processId: number, threadId: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${processId}/task/${threadId}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3: field 41 is index 38.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[38]);
  } catch {
    return undefined;
  }
}
