/**
 * Reads `git push --porcelain`: one line per ref, `<flag>\t<from>:<to>\t<summary> (<reason>)`, where
 * the flag `!` means rejected. This is git's machine-readable output, so the worker tells a rejected
 * (non-fast-forward) push from a network failure without reading an error message.
 */
export interface PushOutcome {
  /** `refs/heads/x: [rejected] (non-fast-forward)` per rejected ref. */
  rejected: string[];
  /** Destination refs that were updated (or already up to date). */
  accepted: string[];
}

export function parsePushPorcelain(stdout: string): PushOutcome {
  const outcome: PushOutcome = { rejected: [], accepted: [] };
  for (const line of stdout.split('\n')) {
    const parts = line.split('\t');
    if (parts.length < 3) continue;
    const [flag, refs, summary] = parts as [string, string, string];
    const destination = refs.split(':')[1] ?? refs;
    if (flag === '!') outcome.rejected.push(`${destination}: ${summary.trim()}`);
    else if ([' ', '+', '-', '*', '='].includes(flag)) outcome.accepted.push(destination);
  }
  return outcome;
}
