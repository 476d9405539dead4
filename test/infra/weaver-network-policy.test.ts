/**
 * RELIABILITY 41 on paper: under the NetworkPolicies of infra/k8s/base, a weaver pod reaches DNS
 * and the egress proxy, and nothing else (Redis, PostgreSQL, the Loom server, the API server,
 * cloud metadata, another weaver, the internet); nobody reaches a weaver; only weavers reach the
 * proxy, which reaches public addresses only. Whether the CNI enforces it is for a live cluster.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAllowed, type Endpoint } from './support/network-policy-reachability.js';
import { find, k8sRoot, loadManifests } from './support/load-manifests.js';

const base = ['weaver-network-policy.yaml', 'egress-proxy.yaml'].flatMap((file) =>
  loadManifests(path.join(k8sRoot, 'base', file)),
);
const policies = base.filter((manifest) => manifest.kind === 'NetworkPolicy');
const namespaces = ['loom', 'loom-weavers', 'loom-egress', 'kube-system', 'default'];
const namespaceLabels = Object.fromEntries(
  namespaces.map((name) => [name, { 'kubernetes.io/metadata.name': name }]),
);

const weaver: Endpoint = {
  namespace: 'loom-weavers',
  labels: { 'app.kubernetes.io/component': 'weaver', 'loom.dev/weaver-id': 'a' },
  ip: '10.244.1.10',
};
const otherWeaver: Endpoint = {
  namespace: 'loom-weavers',
  labels: { 'app.kubernetes.io/component': 'weaver', 'loom.dev/weaver-id': 'b' },
  ip: '10.244.2.11',
};
const dns: Endpoint = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, ip: '10.244.0.2' };
const proxy: Endpoint = {
  namespace: 'loom-egress',
  labels: { 'app.kubernetes.io/name': 'egress-proxy' },
  ip: '10.244.3.5',
};
const redis: Endpoint = {
  namespace: 'loom',
  labels: { 'app.kubernetes.io/name': 'redis-server' },
  ip: '10.244.4.6',
};
const postgres: Endpoint = {
  namespace: 'loom',
  labels: { 'app.kubernetes.io/name': 'postgres-server' },
  ip: '10.244.4.7',
};
const server: Endpoint = {
  namespace: 'loom',
  labels: { 'app.kubernetes.io/component': 'server' },
  ip: '10.244.4.8',
};
const worker: Endpoint = {
  namespace: 'loom',
  labels: { 'app.kubernetes.io/component': 'worker' },
  ip: '10.244.4.9',
};
const apiServer: Endpoint = { ip: '10.96.0.1' };
const metadata: Endpoint = { ip: '169.254.169.254' };
const internet: Endpoint = { ip: '140.82.112.3' };
const registry: Endpoint = { ip: '104.16.0.35' };

const allowed = (from: Endpoint, to: Endpoint, port: number, protocol: 'TCP' | 'UDP' = 'TCP'): boolean =>
  isAllowed(policies, namespaceLabels, { from, to, port, protocol });

describe('weaver network policy', () => {
  it('lets a weaver resolve names and reach the egress proxy', () => {
    expect(allowed(weaver, dns, 53, 'UDP')).toBe(true);
    expect(allowed(weaver, dns, 53, 'TCP')).toBe(true);
    expect(allowed(weaver, proxy, 3128)).toBe(true);
  });

  it.each([
    ['Redis', redis, 6379],
    ['PostgreSQL', postgres, 5432],
    ['the Loom server (LLM proxy)', server, 3000],
    ['the API server', apiServer, 443],
    ['cloud metadata', metadata, 80],
    ['another weaver', otherWeaver, 8080],
    ['an internet host', internet, 443],
    ['the proxy on another port', proxy, 8080],
    ['DNS on another port', dns, 8053],
  ])('keeps a weaver from reaching %s', (_name, destination, port) => {
    expect(allowed(weaver, destination, port)).toBe(false);
  });

  it('lets nothing connect to a weaver, not even the worker (exec goes through the kubelet)', () => {
    for (const source of [worker, server, otherWeaver, proxy])
      expect(allowed(source, weaver, 8080)).toBe(false);
  });

  it('lets only weavers use the proxy, and the proxy reach public addresses only', () => {
    expect(allowed(worker, proxy, 3128)).toBe(false);
    expect(allowed(proxy, registry, 443)).toBe(true);
    expect(allowed(proxy, metadata, 80)).toBe(false);
    expect(allowed(proxy, apiServer, 443)).toBe(false);
    expect(allowed(proxy, redis, 6379)).toBe(false);
    expect(allowed(proxy, internet, 22)).toBe(false);
  });

  it('allow-lists package registries in the proxy and denies the rest', () => {
    const squid = find(base, 'ConfigMap', 'egress-proxy').data['squid.conf'] as string;
    for (const domain of [
      'registry.npmjs.org',
      'pypi.org',
      'files.pythonhosted.org',
      'proxy.golang.org',
      'crates.io',
    ])
      expect(squid).toContain(domain);
    const access = squid.split('\n').filter((line) => line.startsWith('http_access'));
    expect(access.at(-1)).toBe('http_access deny all');
    expect(access).toContain('http_access deny CONNECT !SSL_ports');
    expect(readFileSync(path.join(k8sRoot, 'base', 'egress-proxy.yaml'), 'utf8')).toContain('port: 3128');
  });
});
