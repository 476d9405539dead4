export { createOutboundDispatcher, describeOutboundProxy } from './outbound-dispatcher.js';
export { gitProxyEnvironment } from './git-proxy-environment.js';
export { installOutboundProxy } from './install-outbound-proxy.js';
export { createOutboundHttpAgent } from './outbound-http-agent.js';
export { goesDirect, parseNoProxy, type NoProxyEntry } from './no-proxy.js';
