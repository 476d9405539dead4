/**
 * Branch names Loom owns (DESIGN §4): `loom/{issue-number}-{short-slug}` for work, and
 * `loom/wip/{issue-number}-{short-slug}` for the partial work of a run that stopped early.
 */

const maxSlugLength = 40;

/** Lower-case ASCII words of `title` joined by `-`, at most 40 characters; `task` when none. */
export function shortSlug(title: string): string {
  const words = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
  let slug = '';
  for (const word of words) {
    const next = slug === '' ? word : `${slug}-${word}`;
    if (next.length > maxSlugLength) break;
    slug = next;
  }
  return slug === '' ? (words[0]?.slice(0, maxSlugLength) ?? 'task') : slug;
}

export function workBranchName(issueNumber: number, title: string): string {
  return `loom/${issueNumber}-${shortSlug(title)}`;
}

export function wipBranchName(issueNumber: number, title: string): string {
  return `loom/wip/${issueNumber}-${shortSlug(title)}`;
}

/** Prefix every work branch of an issue starts with (a later mention finds its branch by it). */
export function workBranchPrefix(issueNumber: number): string {
  return `loom/${issueNumber}-`;
}
