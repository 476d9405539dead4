/**
 * The pure part of `edit_file`: applies exact string replacements in order, all or nothing. Each
 * `old_str` must match exactly once unless `replace_all`, so an edit never lands in the wrong place.
 */

export interface StringEdit {
  old_str: string;
  new_str: string;
  replace_all?: boolean | undefined;
}

export type ApplyEditsResult =
  { ok: true; content: string; replacements: number } | { ok: false; message: string };

function countOccurrences(content: string, needle: string): number {
  let count = 0;
  for (
    let index = content.indexOf(needle);
    index !== -1;
    index = content.indexOf(needle, index + needle.length)
  ) {
    count += 1;
  }
  return count;
}

/** Applies `edits` to `content` one after the other; the first failing edit fails them all. */
export function applyEdits(content: string, edits: readonly StringEdit[]): ApplyEditsResult {
  let current = content;
  let replacements = 0;
  for (const [index, edit] of edits.entries()) {
    const label = edits.length > 1 ? `Edit ${index + 1}: ` : '';
    if (edit.old_str === '') return { ok: false, message: `${label}old_str is empty.` };
    if (edit.old_str === edit.new_str) {
      return { ok: false, message: `${label}old_str and new_str are identical; nothing would change.` };
    }
    const count = countOccurrences(current, edit.old_str);
    if (count === 0) {
      return {
        ok: false,
        message: `${label}old_str was not found. It must match the file exactly, including whitespace and indentation.`,
      };
    }
    if (count > 1 && !edit.replace_all) {
      return {
        ok: false,
        message: `${label}old_str matches ${count} places. Add surrounding lines to make it unique, or set replace_all.`,
      };
    }
    // split/join, not String.replace: `$&` and friends in new_str must stay literal.
    current = current.split(edit.old_str).join(edit.new_str);
    replacements += count;
  }
  return { ok: true, content: current, replacements };
}
