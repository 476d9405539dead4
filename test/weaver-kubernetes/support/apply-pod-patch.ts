/**
 * PATCH on a pod as the API server applies it: JSON merge patch (RFC 7386) or JSON patch (RFC
 * 6902: add, replace, remove, test), then the checks Loom relies on: `metadata.resourceVersion` in
 * the result must still be current (else 409), status is not changed through the main resource,
 * and of the spec only `activeDeadlineSeconds` may change, and only downwards (else 422).
 */
import { isDeepStrictEqual } from 'node:util';
import type { V1Pod } from '@kubernetes/client-node';
import { FakeApiError } from './fake-api-error.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function mergePatch(target: Json, patch: Json): Json {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const result: { [key: string]: Json } =
    target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key] ?? null, value);
  }
  return result;
}

function pointer(path: string): string[] {
  return path
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function jsonPatch(document: Json, operations: Array<{ op: string; path: string; value?: Json }>): Json {
  const root = structuredClone(document) as { [key: string]: Json };
  for (const operation of operations) {
    const parts = pointer(operation.path);
    const last = parts.pop() as string;
    let parent: Json = root;
    for (const part of parts) parent = (parent as { [key: string]: Json })[part] ?? null;
    if (parent === null || typeof parent !== 'object')
      throw new FakeApiError(422, 'Invalid', `doc is missing path: "${operation.path}"`);
    const container = parent as { [key: string]: Json };
    if (operation.op === 'test') {
      if (!isDeepStrictEqual(container[last], operation.value))
        throw new FakeApiError(422, 'Invalid', `testing value ${operation.path} failed: test failed`);
    } else if (operation.op === 'remove') delete container[last];
    else if (operation.op === 'add' || operation.op === 'replace') container[last] = operation.value ?? null;
    else throw new FakeApiError(422, 'Invalid', `Unexpected kind: ${operation.op}`);
  }
  return root;
}

export function applyPodPatch(current: V1Pod, contentType: string, body: unknown): V1Pod {
  const name = current.metadata?.name;
  let patched: V1Pod;
  if (contentType.startsWith('application/merge-patch+json'))
    patched = mergePatch(current as unknown as Json, body as Json) as unknown as V1Pod;
  else if (contentType.startsWith('application/json-patch+json'))
    patched = jsonPatch(
      current as unknown as Json,
      body as Array<{ op: string; path: string }>,
    ) as unknown as V1Pod;
  else
    throw new FakeApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json`,
    );

  if (patched.metadata?.resourceVersion !== current.metadata?.resourceVersion)
    throw new FakeApiError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on pods "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    );
  for (const field of ['name', 'namespace', 'uid', 'creationTimestamp'] as const)
    if (patched.metadata?.[field] !== current.metadata?.[field])
      throw new FakeApiError(422, 'Invalid', `metadata.${field}: Invalid value: field is immutable`);
  const { activeDeadlineSeconds: before, ...restBefore } = current.spec ?? { containers: [] };
  const { activeDeadlineSeconds: after, ...restAfter } = patched.spec ?? { containers: [] };
  if (!isDeepStrictEqual(restBefore, restAfter))
    throw new FakeApiError(
      422,
      'Invalid',
      `Pod "${name}" is invalid: spec: Forbidden: pod updates may not change fields other than spec.containers[*].image, spec.activeDeadlineSeconds, spec.tolerations (only additions to existing tolerations)`,
    );
  if (before !== undefined && (after === undefined || after > before || after <= 0))
    throw new FakeApiError(
      422,
      'Invalid',
      `Pod "${name}" is invalid: spec.activeDeadlineSeconds: Invalid value: ${after}: must be less than or equal to previous value`,
    );
  return { ...patched, status: current.status };
}
