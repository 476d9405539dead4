/**
 * A fake Kubernetes API server on loopback, for the pods of one namespace: create, get, list
 * (label and field selectors), watch, merge/JSON patch, delete, and exec over the websocket channel
 * protocol. Other namespaces answer 403, as the worker's namespaced Role would. The real
 * @kubernetes/client-node talks to it, and exec'd `loom weaver-agent` processes really run.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { rm } from 'node:fs/promises';
import { KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { WebSocketServer, type WebSocket } from 'ws';
import { createLoomShim } from './fake-container.js';
import { FakeApiError } from './fake-api-error.js';
import { serveExec } from './fake-exec.js';
import { createFakePodStore, type FakePodStore, type FakePodStoreOptions } from './fake-pod-store.js';
import { matchesFields, matchesLabels } from './selectors.js';

export interface FakeKubernetesApiOptions extends Omit<FakePodStoreOptions, 'shimDir'> {
  /** Exec subprotocols accepted, in the server's preference (default v5 then v4). */
  execProtocols?: string[];
  /** Bearer token every request must carry (default a fixed test token). */
  token?: string;
}

export interface FakeExecSession {
  pod: string;
  command: string[];
  protocol: string;
  /** `performance.now()` when the websocket was accepted (for the benchmark). */
  acceptedAt: number;
}

export interface FakeKubernetesApi {
  readonly url: string;
  readonly store: FakePodStore;
  /** Every request: `METHOD path?query`. */
  readonly requests: string[];
  readonly execSessions: FakeExecSession[];
  kubeConfig(): KubeConfig;
  close(): Promise<void>;
}

const podsRoute = /^\/api\/v1\/namespaces\/([^/]+)\/pods(?:\/([^/]+)(?:\/(exec))?)?$/;

function readBody(request: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text === '' ? undefined : JSON.parse(text));
      } catch {
        reject(new FakeApiError(400, 'BadRequest', 'the request body is not JSON'));
      }
    });
    request.on('error', reject);
  });
}

function sendJson(response: ServerResponse, code: number, body: unknown): void {
  response.writeHead(code, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(body));
}

export async function startFakeKubernetesApi(options: FakeKubernetesApiOptions): Promise<FakeKubernetesApi> {
  const token = options.token ?? 'fake-worker-token';
  const execProtocols = options.execProtocols ?? ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
  const shimDir = await createLoomShim();
  const store = createFakePodStore({ ...options, shimDir });
  const requests: string[] = [];
  const execSessions: FakeExecSession[] = [];
  const watches = new Set<ServerResponse>();
  const sockets = new Set<WebSocket>();
  const connections = new Set<Socket>();

  const authorize = (request: IncomingMessage, namespace: string | undefined): void => {
    if (request.headers.authorization !== `Bearer ${token}`)
      throw new FakeApiError(401, 'Unauthorized', 'Unauthorized');
    if (namespace !== options.namespace)
      throw new FakeApiError(
        403,
        'Forbidden',
        `pods is forbidden: User "system:serviceaccount:loom:loom-worker" cannot access pods in the namespace "${namespace}"`,
      );
  };

  const watch = (request: IncomingMessage, response: ServerResponse, query: URLSearchParams): void => {
    const labels = query.get('labelSelector');
    const fields = query.get('fieldSelector');
    response.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    response.flushHeaders();
    const send = (type: string, pod: V1Pod): void => {
      if (matchesLabels(pod, labels) && matchesFields(pod, fields))
        response.write(`${JSON.stringify({ type, object: pod })}\n`);
    };
    // Without a resourceVersion a watch starts with the current state, as ADDED events.
    if (query.get('resourceVersion') === null)
      for (const pod of store.list(labels, fields)) send('ADDED', pod);
    const unsubscribe = store.subscribe(send);
    watches.add(response);
    request.on('close', () => {
      unsubscribe();
      watches.delete(response);
    });
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://fake');
    requests.push(`${request.method} ${url.pathname}${url.search}`);
    const route = podsRoute.exec(url.pathname);
    if (route === null)
      throw new FakeApiError(404, 'NotFound', `the server could not find the requested resource`);
    const [, namespace, name, sub] = route;
    authorize(request, namespace);
    if (sub === 'exec') throw new FakeApiError(400, 'BadRequest', 'Upgrade request required');
    const method = request.method ?? 'GET';
    if (name === undefined && method === 'GET') {
      if (url.searchParams.get('watch') === 'true') return watch(request, response, url.searchParams);
      const items = store.list(url.searchParams.get('labelSelector'), url.searchParams.get('fieldSelector'));
      return sendJson(response, 200, {
        kind: 'PodList',
        apiVersion: 'v1',
        metadata: { resourceVersion: store.resourceVersion() },
        items,
      });
    }
    if (name === undefined && method === 'POST')
      return sendJson(response, 201, store.create((await readBody(request)) as V1Pod));
    if (name !== undefined && method === 'GET') {
      const pod = store.get(name);
      if (pod === undefined) throw new FakeApiError(404, 'NotFound', `pods "${name}" not found`);
      return sendJson(response, 200, pod);
    }
    if (name !== undefined && method === 'PATCH')
      return sendJson(
        response,
        200,
        store.patch(name, request.headers['content-type'] ?? '', await readBody(request)),
      );
    if (name !== undefined && method === 'DELETE') {
      await readBody(request);
      return sendJson(response, 200, store.remove(name));
    }
    throw new FakeApiError(405, 'MethodNotAllowed', `${method} is not supported here`);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const failure =
        error instanceof FakeApiError ? error : new FakeApiError(500, 'InternalError', String(error));
      if (!response.headersSent) sendJson(response, failure.code, failure.toStatus());
      else response.end();
    });
  });
  server.on('connection', (socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
  });

  const websockets = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => execProtocols.find((protocol) => offered.has(protocol)) ?? false,
  });
  server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://fake');
    requests.push(`UPGRADE ${url.pathname}${url.search}`);
    const refuse = (failure: FakeApiError): void => {
      const body = JSON.stringify(failure.toStatus());
      socket.end(
        `HTTP/1.1 ${failure.code} ${failure.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    };
    try {
      const route = podsRoute.exec(url.pathname);
      if (route === null || route[3] !== 'exec')
        throw new FakeApiError(404, 'NotFound', 'not an exec endpoint');
      authorize(request, route[1]);
      const name = route[2] as string;
      const pod = store.get(name);
      const container = store.container(name);
      if (pod === undefined) throw new FakeApiError(404, 'NotFound', `pods "${name}" not found`);
      if (pod.status?.phase !== 'Running' || container === undefined)
        throw new FakeApiError(
          400,
          'BadRequest',
          `cannot exec into a container in a completed pod; current phase is ${pod.status?.phase}`,
        );
      const command = url.searchParams.getAll('command');
      websockets.handleUpgrade(request, socket, head, (websocket) => {
        sockets.add(websocket);
        execSessions.push({
          pod: name,
          command,
          protocol: websocket.protocol,
          acceptedAt: performance.now(),
        });
        serveExec(websocket, container, command, () => sockets.delete(websocket));
      });
    } catch (error) {
      refuse(error instanceof FakeApiError ? error : new FakeApiError(500, 'InternalError', String(error)));
    }
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    store,
    requests,
    execSessions,
    kubeConfig() {
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromOptions({
        clusters: [{ name: 'fake', server: url, skipTLSVerify: true }],
        users: [{ name: 'loom-worker', token }],
        contexts: [{ name: 'fake', cluster: 'fake', user: 'loom-worker', namespace: options.namespace }],
        currentContext: 'fake',
      });
      return kubeConfig;
    },
    async close() {
      for (const response of watches) response.end();
      for (const websocket of sockets) websocket.terminate();
      await store.close();
      websockets.close();
      for (const socket of connections) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(shimDir, { recursive: true, force: true });
    },
  };
}
