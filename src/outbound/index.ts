export { createOutboundDispatcher, describeOutboundProxy } from './outbound-dispatcher.js';
export { installOutboundProxy } from './install-outbound-proxy.js';
