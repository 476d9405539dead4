/**
 * Finds the repository a Slack message names: a GitHub URL (github.com or the configured GitHub
 * Enterprise host) first, else a standalone `owner/repo` word. Text in `code` is skipped, since that
 * is usually a path (`src/app.ts`) rather than a repository.
 */

export interface RepositoryReference {
  /** `owner/name` as written (GitHub treats it without regard to case). */
  repository: string;
  /** Where the reference is in the text, to cut it out when it is the whole answer. */
  start: number;
  end: number;
}

const ownerPattern = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})';
const namePattern = '[A-Za-z0-9._-]{1,100}';
const bareReference = new RegExp(`^(${ownerPattern})/(${namePattern})$`);
/** Characters that may wrap a word in prose: `(acme/web)`, `acme/web,`, `"acme/web".` */
const wrapping = /^[("'[{]*(.*?)[)"'\]}.,;:!?]*$/s;

function escapeForRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Blanks out `inline` and ```fenced``` code (same length, so offsets stay true). */
function blankCode(text: string): string {
  return text.replace(/```[\s\S]*?```|`[^`\n]*`/g, (code) => ' '.repeat(code.length));
}

function cleanName(owner: string, name: string): string | undefined {
  const repo = name.replace(/\.git$/, '');
  if (repo === '' || repo === '.' || repo === '..') return undefined;
  return `${owner}/${repo}`;
}

/**
 * `src/index.ts` is a path, not a repository: a short extension marks a file, except the suffixes
 * repository names commonly carry (`vercel/next.js`, `pallets/click.py`).
 */
const repositoryNameSuffixes = new Set(['js', 'py', 'rs', 'go', 'io', 'rb', 'nvim', 'vim']);

function looksLikeFilePath(repository: string): boolean {
  const extension = /\.([A-Za-z0-9]{1,4})$/.exec(repository)?.[1];
  return extension !== undefined && !repositoryNameSuffixes.has(extension.toLowerCase());
}

/** The first repository the text names, or `undefined`. `githubHosts` defaults to `github.com`. */
export function findRepositoryReference(
  text: string,
  githubHosts: readonly string[] = ['github.com'],
): RepositoryReference | undefined {
  const visible = blankCode(text);
  const hosts = githubHosts.map((host) => escapeForRegExp(host.toLowerCase())).join('|');
  const url = new RegExp(
    `https?://(?:www\\.)?(?:${hosts})/(${ownerPattern})/(${namePattern}?)(?=[/#?\\s>|)"',.]|$)`,
    'gi',
  );
  for (const match of visible.matchAll(url)) {
    const repository = cleanName(match[1] as string, match[2] as string);
    if (repository !== undefined) {
      return { repository, start: match.index, end: match.index + match[0].length };
    }
  }
  for (const word of visible.matchAll(/\S+/g)) {
    const inner = wrapping.exec(word[0])?.[1] ?? word[0];
    const found = bareReference.exec(inner);
    if (found === null || /^https?:/i.test(word[0])) continue;
    const repository = cleanName(found[1] as string, found[2] as string);
    if (repository === undefined || looksLikeFilePath(repository)) continue;
    const start = word.index + word[0].indexOf(inner);
    return { repository, start, end: start + inner.length };
  }
  return undefined;
}
