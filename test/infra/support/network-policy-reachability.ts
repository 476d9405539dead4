/**
 * Who may talk to whom under a set of NetworkPolicies, as the Kubernetes semantics define it (the
 * part our manifests use): a pod selected by no policy of a direction is open in that direction;
 * a selected pod allows only what some rule of a selecting policy allows (peers by pod selector in
 * the policy's namespace, namespace selector with optional pod selector, or ipBlock with except;
 * ports by number and protocol, none = all). "41 on paper": the CNI must still enforce it.
 */
import type { Manifest } from './load-manifests.js';

export interface Endpoint {
  namespace?: string;
  labels?: Record<string, string>;
  /** Destination IP: a pod's, a Service's cluster IP, or an outside address. */
  ip: string;
}

interface LabelSelector {
  matchLabels?: Record<string, string>;
}

function selects(selector: LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector?.matchLabels ?? {}).every(([key, value]) => labels?.[key] === value);
}

function ipToNumber(ip: string): number {
  return ip.split('.').reduce((total, part) => total * 256 + Number(part), 0);
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  const start = Math.floor(ipToNumber(base as string) / size) * size;
  const value = ipToNumber(ip);
  return value >= start && value < start + size;
}

interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}

function peerMatches(
  peer: Peer,
  policyNamespace: string,
  other: Endpoint,
  namespaceLabels: Record<string, Record<string, string>>,
): boolean {
  if (peer.ipBlock !== undefined)
    return (
      inCidr(other.ip, peer.ipBlock.cidr) &&
      !(peer.ipBlock.except ?? []).some((cidr) => inCidr(other.ip, cidr))
    );
  if (other.namespace === undefined) return false;
  const namespaceOk =
    peer.namespaceSelector === undefined
      ? other.namespace === policyNamespace
      : selects(peer.namespaceSelector, namespaceLabels[other.namespace]);
  return namespaceOk && (peer.podSelector === undefined || selects(peer.podSelector, other.labels));
}

function portMatches(
  ports: Array<{ port?: number; protocol?: string }> | undefined,
  port: number,
  protocol: string,
): boolean {
  if (ports === undefined || ports.length === 0) return true;
  return ports.some(
    (entry) => (entry.port === undefined || entry.port === port) && (entry.protocol ?? 'TCP') === protocol,
  );
}

export interface Connection {
  from: Endpoint;
  to: Endpoint;
  port: number;
  protocol?: 'TCP' | 'UDP';
}

/** Whether `connection` is allowed by egress of the source and ingress of the destination. */
export function isAllowed(
  policies: readonly Manifest[],
  namespaceLabels: Record<string, Record<string, string>>,
  connection: Connection,
): boolean {
  const protocol = connection.protocol ?? 'TCP';
  const direction = (pod: Endpoint, type: 'Egress' | 'Ingress', other: Endpoint): boolean => {
    if (pod.namespace === undefined) return true;
    const selecting = policies.filter(
      (policy) =>
        policy.metadata.namespace === pod.namespace &&
        (policy.spec.policyTypes ?? ['Ingress']).includes(type) &&
        selects(policy.spec.podSelector, pod.labels),
    );
    if (selecting.length === 0) return true;
    return selecting.some((policy) =>
      ((type === 'Egress' ? policy.spec.egress : policy.spec.ingress) ?? []).some(
        (rule: { to?: Peer[]; from?: Peer[]; ports?: Array<{ port?: number; protocol?: string }> }) => {
          const peers = (type === 'Egress' ? rule.to : rule.from) ?? [];
          const peerOk =
            peers.length === 0 ||
            peers.some((peer) =>
              peerMatches(peer, policy.metadata.namespace as string, other, namespaceLabels),
            );
          return peerOk && portMatches(rule.ports, connection.port, protocol);
        },
      ),
    );
  };
  return (
    direction(connection.from, 'Egress', connection.to) &&
    direction(connection.to, 'Ingress', connection.from)
  );
}
