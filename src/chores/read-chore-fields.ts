/** The fields of one chore mapping, each checked where it stands in the file. */
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import type { ChoreDefinition } from './chore-types.js';
import { scheduleProblem, timezoneProblem } from './validate-schedule.js';

export interface FieldReader {
  map: YAMLMap;
  index: number;
  at: (node: Node | undefined, field: string | undefined, message: string) => void;
}

const knownFields = [
  'name',
  'schedule',
  'timezone',
  'prompt',
  'budget',
  'labels',
  'reviewers',
  'slack_channel',
];
/** The chore-origin contract's name rule (queue/job-contracts.ts), plus what git refuses in a branch. */
const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,59}$/;
export const maxChoreBudgetUsd = 10_000;
const maxPromptLength = 100_000;
const maxListLength = 20;

/** The chore, or undefined after reporting its problems through `reader.at`. */
export function readChoreFields(reader: FieldReader): ChoreDefinition | undefined {
  const { map, index, at } = reader;
  let failed = false;
  const fail = (node: Node | undefined, field: string, message: string) => {
    failed = true;
    at(node, `${label()}.${field}`, message);
  };
  const nameNode = map.get('name', true) as Node | undefined;
  const label = () =>
    isScalar(nameNode) && typeof nameNode.value === 'string' ? nameNode.value : `chores[${index}]`;

  for (const pair of map.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!knownFields.includes(key)) {
      fail(pair.key as Node, key, `unknown field "${key}" (known: ${knownFields.join(', ')})`);
    }
  }
  const name = requiredString(map, 'name', fail, map);
  if (name !== undefined && (!namePattern.test(name) || name.includes('..') || /(\.lock|\.)$/.test(name))) {
    fail(
      nameNode,
      'name',
      `"${name}" is not a branch-safe name: letters, digits, ".", "_", "-", at most 60, starting with a letter or digit`,
    );
  }
  const timezone = optionalString(map, 'timezone', fail);
  const timezoneNode = map.get('timezone', true) as Node | undefined;
  const badZone = timezone === undefined ? undefined : timezoneProblem(timezone);
  if (badZone !== undefined) fail(timezoneNode, 'timezone', badZone);
  const schedule = requiredString(map, 'schedule', fail, map);
  if (schedule !== undefined) {
    const problem = scheduleProblem(schedule, badZone === undefined ? timezone : undefined);
    if (problem !== undefined) fail(map.get('schedule', true) as Node, 'schedule', problem);
  }
  const prompt = requiredString(map, 'prompt', fail, map);
  if (prompt !== undefined && prompt.length > maxPromptLength) {
    fail(map.get('prompt', true) as Node, 'prompt', `longer than ${maxPromptLength} characters`);
  }
  const budgetUsd = readBudget(map, fail);
  const labels = stringList(map, 'labels', fail);
  const reviewers = stringList(map, 'reviewers', fail);
  const slackChannel = optionalString(map, 'slack_channel', fail);
  if (failed || name === undefined || schedule === undefined || prompt === undefined) return undefined;
  return {
    name,
    schedule: schedule.trim(),
    timezone,
    prompt,
    budgetUsd,
    labels,
    reviewers,
    slackChannel: slackChannel?.replace(/^#/, ''),
  };
}

type Fail = (node: Node | undefined, field: string, message: string) => void;

function requiredString(map: YAMLMap, key: string, fail: Fail, owner: Node): string | undefined {
  if (!map.has(key)) {
    fail(owner, key, `missing required field "${key}"`);
    return undefined;
  }
  return optionalString(map, key, fail);
}

function optionalString(map: YAMLMap, key: string, fail: Fail): string | undefined {
  const node = map.get(key, true) as Node | undefined;
  if (node === undefined) return undefined;
  if (!isScalar(node) || typeof node.value !== 'string' || node.value.trim() === '') {
    fail(node, key, `"${key}" must be a non-empty string`);
    return undefined;
  }
  return node.value;
}

/** `budget: 3`, `budget: 2.5` or `budget: "$3"`. */
function readBudget(map: YAMLMap, fail: Fail): number | undefined {
  const node = map.get('budget', true) as Node | undefined;
  if (node === undefined) return undefined;
  const raw = isScalar(node) ? node.value : undefined;
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  const match = /^\$?(\d+(?:\.\d+)?)$/.exec(text);
  const value = match?.[1] === undefined ? Number.NaN : Number(match[1]);
  if (!(value > 0) || value > maxChoreBudgetUsd) {
    fail(
      node,
      'budget',
      `budget must be an amount in USD above 0 and at most ${maxChoreBudgetUsd}, e.g. 3 or "$3"`,
    );
    return undefined;
  }
  return value;
}

function stringList(map: YAMLMap, key: string, fail: Fail): string[] {
  const node = map.get(key, true) as Node | undefined;
  if (node === undefined) return [];
  const items = isSeq(node) ? (node.items as Node[]) : undefined;
  if (items === undefined || isMap(node)) {
    fail(node, key, `"${key}" must be a list of strings`);
    return [];
  }
  if (items.length > maxListLength) fail(node, key, `at most ${maxListLength} entries`);
  const values: string[] = [];
  for (const item of items) {
    if (!isScalar(item) || typeof item.value !== 'string' || item.value.trim() === '') {
      fail(item, key, `"${key}" entries must be non-empty strings`);
    } else values.push(item.value.trim());
  }
  return values;
}
