import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { describeWeaverPod, timeOf } from './describe-weaver-pod.js';

const withStatus = (status: V1Pod['status'], deleting = false): V1Pod => ({
  metadata: { name: 'p', ...(deleting ? { deletionTimestamp: new Date() } : {}) },
  status,
});
const container = (extra: Record<string, unknown>) => ({
  name: 'weaver',
  image: 'i',
  imageID: '',
  restartCount: 0,
  ready: false,
  ...extra,
});

describe('describeWeaverPod', () => {
  it('is ready only when Running with a ready container', () => {
    expect(
      describeWeaverPod(withStatus({ phase: 'Running', containerStatuses: [container({ ready: true })] })),
    ).toEqual({ kind: 'ready' });
    expect(describeWeaverPod(withStatus({ phase: 'Running', containerStatuses: [container({})] }))).toEqual({
      kind: 'starting',
      detail: 'Running, not ready yet',
    });
    expect(describeWeaverPod(withStatus({ phase: 'Pending' }))).toEqual({
      kind: 'starting',
      detail: 'Pending',
    });
    expect(describeWeaverPod(withStatus(undefined))).toEqual({ kind: 'starting', detail: 'Pending' });
  });

  it('reports DeadlineExceeded with the reason Kubernetes gave', () => {
    const pod = withStatus({
      phase: 'Failed',
      reason: 'DeadlineExceeded',
      message: 'Pod was active on the node longer than the specified deadline',
    });
    expect(describeWeaverPod(pod)).toEqual({
      kind: 'failed',
      reason: 'DeadlineExceeded',
      message: 'Pod was active on the node longer than the specified deadline',
    });
  });

  it('fails at once on an unusable image name, but keeps waiting through image pull back-off', () => {
    const invalid = withStatus({
      phase: 'Pending',
      containerStatuses: [container({ state: { waiting: { reason: 'InvalidImageName', message: 'bad' } } })],
    });
    expect(describeWeaverPod(invalid)).toMatchObject({ kind: 'failed', reason: 'InvalidImageName' });
    const backOff = withStatus({
      phase: 'Pending',
      containerStatuses: [
        container({ state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image' } } }),
      ],
    });
    expect(describeWeaverPod(backOff)).toEqual({
      kind: 'starting',
      detail: 'ImagePullBackOff: Back-off pulling image',
    });
  });

  it('treats a terminated container (OOMKilled) as failed, and a pod being deleted as such', () => {
    const oom = withStatus({
      phase: 'Running',
      containerStatuses: [container({ state: { terminated: { exitCode: 137, reason: 'OOMKilled' } } })],
    });
    expect(describeWeaverPod(oom)).toMatchObject({ kind: 'failed', reason: 'OOMKilled' });
    expect(describeWeaverPod(withStatus({ phase: 'Running' }, true))).toEqual({ kind: 'deleting' });
  });
});

describe('timeOf', () => {
  it('reads a Date from the client and a string from a watch event', () => {
    expect(timeOf(new Date(5))).toBe(5);
    expect(timeOf('1970-01-01T00:00:01Z')).toBe(1000);
    expect(timeOf('soon')).toBeUndefined();
    expect(timeOf(undefined)).toBeUndefined();
  });
});
