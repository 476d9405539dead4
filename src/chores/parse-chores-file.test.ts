import { describe, expect, it } from 'vitest';
import { formatChoreProblems, parseChoresFile } from './parse-chores-file.js';
import { nextRunTimes } from './validate-schedule.js';

const valid = `# chores of acme/web
chores:
  - name: deps
    schedule: "0 7 * * 1"
    timezone: Europe/Berlin
    prompt: Update the dev dependencies and fix what breaks.
    budget: "$3"
    labels: [chore, deps]
    reviewers: [alice]
    slack_channel: "#eng"
  - name: flaky-hunt
    schedule: "@daily"
    prompt: |
      Find one flaky test and make it reliable.
    budget: 2.5
`;

function problemsOf(text: string) {
  const result = parseChoresFile(text);
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}

describe('parseChoresFile', () => {
  it('reads every field of a valid file', () => {
    const result = parseChoresFile(valid);
    expect(result).toEqual({
      ok: true,
      chores: [
        {
          name: 'deps',
          schedule: '0 7 * * 1',
          timezone: 'Europe/Berlin',
          prompt: 'Update the dev dependencies and fix what breaks.',
          budgetUsd: 3,
          labels: ['chore', 'deps'],
          reviewers: ['alice'],
          slackChannel: 'eng',
        },
        {
          name: 'flaky-hunt',
          schedule: '@daily',
          timezone: undefined,
          prompt: 'Find one flaky test and make it reliable.\n',
          budgetUsd: 2.5,
          labels: [],
          reviewers: [],
          slackChannel: undefined,
        },
      ],
    });
  });

  it('accepts a top-level list and an empty file', () => {
    const list = parseChoresFile('- name: a\n  schedule: "*/30 * * * *"\n  prompt: p\n');
    expect(list.ok && list.chores.map((chore) => chore.name)).toEqual(['a']);
    expect(parseChoresFile('')).toEqual({ ok: true, chores: [] });
    expect(parseChoresFile('chores: []\n')).toEqual({ ok: true, chores: [] });
  });

  it('names the line and field of an invalid cron expression', () => {
    const problems = problemsOf(valid.replace('"0 7 * * 1"', '"0 25 * * 1"'));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 4, field: 'deps.schedule' });
    expect(problems[0]?.message).toMatch(/not a valid cron expression/);
  });

  it('refuses a seconds field, an unknown time zone and a bad budget, each on its line', () => {
    const text = valid
      .replace('"0 7 * * 1"', '"* * * * * *"')
      .replace('Europe/Berlin', 'Mars/Olympus')
      .replace('budget: 2.5', 'budget: -1');
    const problems = problemsOf(text);
    expect(problems.map((problem) => [problem.line, problem.field])).toEqual([
      [4, 'deps.schedule'],
      [5, 'deps.timezone'],
      [15, 'flaky-hunt.budget'],
    ]);
  });

  it('reports a duplicate name on the second chore, pointing at the first', () => {
    const problems = problemsOf(valid.replace('name: flaky-hunt', 'name: deps'));
    expect(problems).toEqual([
      expect.objectContaining({ line: 11, field: 'deps.name', message: expect.stringMatching(/line 3/) }),
    ]);
  });

  it('reports missing and unknown fields and unsafe names', () => {
    const problems = problemsOf('chores:\n  - name: "../evil"\n    schedul: "0 7 * * *"\n    prompt: p\n');
    expect(problems.map((problem) => problem.field)).toEqual(
      expect.arrayContaining(['../evil.schedul', '../evil.name', '../evil.schedule']),
    );
    expect(problems.find((problem) => problem.field === '../evil.schedul')?.line).toBe(3);
  });

  it('reports YAML syntax errors with their line', () => {
    const problems = problemsOf('chores:\n  - name: a\n    labels: [x\n');
    expect(problems[0]?.message).toMatch(/^YAML:/);
    expect(problems[0]?.line).toBeGreaterThanOrEqual(3);
  });

  it('formats problems as path:line:column (field): message', () => {
    const text = formatChoreProblems(problemsOf('chores:\n  - name: a\n    schedule: nope\n    prompt: p\n'));
    expect(text).toMatch(/^\.loom\/chores\.yml:3:15 \(a\.schedule\): /);
  });
});

describe('nextRunTimes', () => {
  it('computes run times in the chore time zone', () => {
    const from = new Date('2025-01-01T00:00:00Z'); // a Wednesday
    const [first, second] = nextRunTimes('0 7 * * 1', 'Europe/Berlin', from, 2);
    expect(first?.toISOString()).toBe('2025-01-06T06:00:00.000Z');
    expect(second?.toISOString()).toBe('2025-01-13T06:00:00.000Z');
    expect(nextRunTimes('0 7 * * 1', undefined, from)[0]?.toISOString()).toBe('2025-01-06T07:00:00.000Z');
  });
});
