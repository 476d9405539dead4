/**
 * `.loom/chores.yml` → validated chores, or every problem with the line (and field) it is on. The
 * file is a list of chores, either at the top level or under a `chores:` key. Unknown fields are
 * errors (a typo such as `schedul:` must not silently drop a schedule).
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';
import type { ChoreDefinition, ChoreProblem, ChoresFileResult } from './chore-types.js';
import { readChoreFields, type FieldReader } from './read-chore-fields.js';

/** Where the file lives in a repository, on its default branch. */
export const choresFilePath = '.loom/chores.yml';
/** More chores than this in one file is a mistake (each one is a scheduler and a PR). */
export const maxChoresPerFile = 50;

export function parseChoresFile(text: string): ChoresFileResult {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const problems: ChoreProblem[] = [];
  const at = (node: Node | undefined, field: string | undefined, message: string) => {
    const offset = node?.range?.[0] ?? 0;
    const position = lineCounter.linePos(offset);
    problems.push({ line: position.line, column: position.col, field, message });
  };
  for (const error of document.errors) {
    const position = lineCounter.linePos(error.pos[0]);
    problems.push({
      line: position.line,
      column: position.col,
      field: undefined,
      message: `YAML: ${error.message.split('\n')[0] ?? error.code}`,
    });
  }
  if (problems.length > 0) return { ok: false, problems };

  const list = choreList(document.contents as Node | null, at);
  if (list === undefined) return { ok: false, problems };
  if (list.length > maxChoresPerFile) {
    at(list[maxChoresPerFile], undefined, `at most ${maxChoresPerFile} chores per repository`);
  }
  const chores: ChoreDefinition[] = [];
  const firstLineOfName = new Map<string, number>();
  list.forEach((item, index) => {
    if (!isMap(item)) {
      at(item, `chores[${index}]`, 'a chore must be a mapping with name, schedule and prompt');
      return;
    }
    const reader: FieldReader = { map: item as YAMLMap, index, at };
    const chore = readChoreFields(reader);
    if (chore === undefined) return;
    const line = lineCounter.linePos(item.range?.[0] ?? 0).line;
    const earlier = firstLineOfName.get(chore.name);
    if (earlier !== undefined) {
      at(
        fieldNode(item as YAMLMap, 'name'),
        `${chore.name}.name`,
        `duplicate chore name "${chore.name}" (first on line ${earlier})`,
      );
      return;
    }
    firstLineOfName.set(chore.name, line);
    chores.push(chore);
  });
  if (problems.length > 0) return { ok: false, problems: sortProblems(problems) };
  return { ok: true, chores };
}

type At = (node: Node | undefined, field: string | undefined, message: string) => void;

function choreList(contents: Node | null, at: At): Node[] | undefined {
  if (contents === null || (isScalar(contents) && (contents.value === null || contents.value === ''))) {
    return [];
  }
  if (isSeq(contents)) return contents.items as Node[];
  if (isMap(contents)) {
    for (const pair of contents.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (key !== 'chores')
        at(pair.key as Node, key, 'unknown top-level key: the file holds `chores:`, a list');
    }
    const chores = contents.get('chores', true) as Node | undefined;
    if (chores === undefined || (isScalar(chores) && chores.value === null)) return [];
    if (isSeq(chores)) return chores.items as Node[];
    at(chores, 'chores', '`chores` must be a list');
    return undefined;
  }
  at(contents, undefined, 'the file must be a list of chores (or `chores:` followed by one)');
  return undefined;
}

function fieldNode(map: YAMLMap, key: string): Node | undefined {
  return map.get(key, true) as Node | undefined;
}

function sortProblems(problems: ChoreProblem[]): ChoreProblem[] {
  return [...problems].sort((left, right) => left.line - right.line || left.column - right.column);
}

/** One line per problem, `line 4 (nightly.schedule): …`, for check runs, logs and the CLI. */
export function formatChoreProblems(problems: readonly ChoreProblem[], path = choresFilePath): string {
  return problems
    .map((problem) => {
      const field = problem.field === undefined ? '' : ` (${problem.field})`;
      return `${path}:${problem.line}:${problem.column}${field}: ${problem.message}`;
    })
    .join('\n');
}
