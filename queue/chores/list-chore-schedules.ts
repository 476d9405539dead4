import type { Queue } from 'bullmq';
import { parseChoreSchedulerId } from './chore-scheduler-id.js';

export interface ChoreSchedule {
  repository: string;
  name: string;
  pattern: string | undefined;
  timezone: string | undefined;
  /** When the scheduler's next job is due, if it has one. */
  next: Date | undefined;
}

/** The chore schedulers on the queue (of one repository, or all), by repository then name. */
export async function listChoreSchedules(queue: Queue, repository?: string): Promise<ChoreSchedule[]> {
  const schedules: ChoreSchedule[] = [];
  for (const scheduler of await queue.getJobSchedulers(0, -1)) {
    const parsed = parseChoreSchedulerId(scheduler.key);
    if (parsed === undefined || (repository !== undefined && parsed.repository !== repository)) continue;
    schedules.push({
      ...parsed,
      pattern: scheduler.pattern ?? undefined,
      timezone: scheduler.tz ?? undefined,
      next: typeof scheduler.next === 'number' ? new Date(scheduler.next) : undefined,
    });
  }
  return schedules.sort(
    (left, right) => left.repository.localeCompare(right.repository) || left.name.localeCompare(right.name),
  );
}
