import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { decidePodsToReap, unrecognisedGraceMs } from './decide-pods-to-reap.js';
import { managedByLabel, componentLabel } from './weaver-pod-labels.js';

const now = Date.parse('2030-01-01T12:00:00Z');
const iso = (offsetMs: number): string => new Date(now + offsetMs).toISOString();

function pod(overrides: {
  name?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  phase?: string;
  createdMsAgo?: number;
  deleting?: boolean;
}): V1Pod {
  return {
    metadata: {
      name: overrides.name ?? 'loom-weaver-a',
      labels: { [managedByLabel]: 'loom', [componentLabel]: 'weaver', ...overrides.labels },
      annotations: overrides.annotations ?? {},
      creationTimestamp: new Date(now - (overrides.createdMsAgo ?? 1000)),
      ...(overrides.deleting ? { deletionTimestamp: new Date(now) } : {}),
    },
    status: { phase: overrides.phase ?? 'Running' },
  };
}

const live = { 'loom.dev/expires-at': iso(60_000), 'loom.dev/lease-expires-at': iso(30_000) };

describe('decidePodsToReap', () => {
  it('keeps a claimed pod whose lease and expiry are in the future, and a fresh warm pod', () => {
    const pods = [
      pod({ labels: { 'loom.dev/state': 'claimed' }, annotations: live }),
      pod({
        name: 'warm',
        labels: { 'loom.dev/state': 'warm' },
        annotations: { 'loom.dev/expires-at': iso(1) },
      }),
    ];
    expect(decidePodsToReap(pods, now)).toEqual([]);
  });

  it('reaps a claimed pod whose lease ran out as orphaned', () => {
    const orphan = pod({
      labels: { 'loom.dev/state': 'claimed' },
      annotations: { ...live, 'loom.dev/lease-expires-at': iso(-1) },
    });
    expect(decidePodsToReap([orphan], now)).toEqual([{ name: 'loom-weaver-a', reason: 'orphaned' }]);
  });

  it('reaps any pod past its hard expiry, warm or claimed', () => {
    const warm = pod({
      name: 'w',
      labels: { 'loom.dev/state': 'warm' },
      annotations: { 'loom.dev/expires-at': iso(0) },
    });
    const claimed = pod({
      name: 'c',
      labels: { 'loom.dev/state': 'claimed' },
      annotations: { ...live, 'loom.dev/expires-at': iso(-5) },
    });
    expect(decidePodsToReap([warm, claimed], now)).toEqual([
      { name: 'w', reason: 'expired' },
      { name: 'c', reason: 'expired' },
    ]);
  });

  it('reaps failed and succeeded pods (DeadlineExceeded) even with a live lease', () => {
    const failed = pod({
      name: 'f',
      labels: { 'loom.dev/state': 'claimed' },
      annotations: live,
      phase: 'Failed',
    });
    const done = pod({
      name: 's',
      labels: { 'loom.dev/state': 'warm' },
      annotations: live,
      phase: 'Succeeded',
    });
    expect(decidePodsToReap([failed, done], now).map((decision) => decision.reason)).toEqual([
      'finished',
      'finished',
    ]);
  });

  it('reaps a pod with unreadable state only once it is older than the grace period', () => {
    const young = pod({ name: 'young', createdMsAgo: unrecognisedGraceMs - 1 });
    const old = pod({
      name: 'old',
      createdMsAgo: unrecognisedGraceMs,
      labels: { 'loom.dev/state': 'claimed' },
      annotations: { 'loom.dev/expires-at': 'soon' },
    });
    expect(decidePodsToReap([young, old], now)).toEqual([{ name: 'old', reason: 'unrecognised' }]);
  });

  it('never touches pods without both Loom labels, or pods already being deleted', () => {
    const foreign = pod({ phase: 'Failed' });
    foreign.metadata!.labels = { [managedByLabel]: 'helm', [componentLabel]: 'weaver' };
    const otherComponent = pod({ phase: 'Failed' });
    otherComponent.metadata!.labels = { [managedByLabel]: 'loom', [componentLabel]: 'server' };
    const deleting = pod({ phase: 'Failed', deleting: true });
    expect(decidePodsToReap([foreign, otherComponent, deleting], now)).toEqual([]);
  });
});
