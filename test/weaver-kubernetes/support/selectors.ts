/** Label and field selectors as the API server reads them (the equality-based subset Loom uses). */
import type { V1Pod } from '@kubernetes/client-node';

type Requirement = (values: Record<string, string>) => boolean;

function parse(selector: string | null | undefined): Requirement[] {
  if (selector === null || selector === undefined || selector.trim() === '') return [];
  return selector.split(',').map((raw) => {
    const term = raw.trim();
    const unequal = /^([^!=]+)!=(.*)$/.exec(term);
    if (unequal) return (values) => values[unequal[1]!.trim()] !== unequal[2]!.trim();
    const equal = /^([^!=]+)==?(.*)$/.exec(term);
    if (equal) return (values) => values[equal[1]!.trim()] === equal[2]!.trim();
    if (term.startsWith('!')) return (values) => !(term.slice(1) in values);
    return (values) => term in values;
  });
}

export function matchesLabels(pod: V1Pod, selector: string | null | undefined): boolean {
  const labels = pod.metadata?.labels ?? {};
  return parse(selector).every((requirement) => requirement(labels));
}

export function matchesFields(pod: V1Pod, selector: string | null | undefined): boolean {
  const fields: Record<string, string> = {
    'metadata.name': pod.metadata?.name ?? '',
    'metadata.namespace': pod.metadata?.namespace ?? '',
    'status.phase': pod.status?.phase ?? '',
  };
  return parse(selector).every((requirement) => requirement(fields));
}
