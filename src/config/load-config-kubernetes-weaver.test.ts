import { describe, expect, it } from 'vitest';
import { isLoomError } from '../errors/index.js';
import { loadConfig } from './load-config.js';

describe('loadConfig: the Kubernetes weaver variables', () => {
  it('has defaults that need nothing but an image', () => {
    const config = loadConfig({
      LOOM_WEAVER: 'kubernetes',
      LOOM_WEAVER_IMAGE: 'registry.test/loom-weaver:1',
    });
    expect(config.kubernetesWeaver).toEqual({
      namespace: 'loom-weavers',
      image: 'registry.test/loom-weaver:1',
      runtimeClassName: undefined,
      maxConcurrent: 8,
      warmPoolSize: 0,
      deadlineSeconds: 3600,
      cpu: '2',
      memory: '4Gi',
      disk: '10Gi',
      egressProxyUrl: undefined,
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      LOOM_WEAVER: 'kubernetes',
      LOOM_WEAVER_NAMESPACE: 'sandboxes',
      LOOM_WEAVER_IMAGE: 'img',
      LOOM_WEAVER_RUNTIME_CLASS: 'gvisor',
      LOOM_WEAVER_MAX_CONCURRENT: '3',
      LOOM_WEAVER_WARM_POOL: '2',
      LOOM_WEAVER_DEADLINE_SECONDS: '900',
      LOOM_WEAVER_CPU: '500m',
      LOOM_WEAVER_MEMORY: '1Gi',
      LOOM_WEAVER_DISK: '5Gi',
      LOOM_WEAVER_EGRESS_PROXY: 'http://proxy.egress:3128',
    });
    expect(config.kubernetesWeaver).toMatchObject({
      namespace: 'sandboxes',
      runtimeClassName: 'gvisor',
      maxConcurrent: 3,
      warmPoolSize: 2,
      deadlineSeconds: 900,
      cpu: '500m',
      memory: '1Gi',
      disk: '5Gi',
      egressProxyUrl: 'http://proxy.egress:3128',
    });
  });

  it('requires an image for the Kubernetes backend only, and lists bad values', () => {
    expect(() => loadConfig({})).not.toThrow();
    let caught: unknown;
    try {
      loadConfig({ LOOM_WEAVER: 'kubernetes' });
    } catch (error) {
      caught = error;
    }
    expect(isLoomError(caught, 'config_invalid')).toBe(true);
    expect((caught as Error).message).toContain('LOOM_WEAVER_IMAGE: is required when LOOM_WEAVER=kubernetes');
    let problems = '';
    try {
      loadConfig({
        LOOM_WEAVER_NAMESPACE: 'Not_A_Namespace',
        LOOM_WEAVER_MEMORY: 'lots',
        LOOM_WEAVER_DEADLINE_SECONDS: '5',
      });
    } catch (error) {
      problems = (error as Error).message;
    }
    for (const name of ['LOOM_WEAVER_NAMESPACE', 'LOOM_WEAVER_MEMORY', 'LOOM_WEAVER_DEADLINE_SECONDS'])
      expect(problems).toContain(name);
  });
});
