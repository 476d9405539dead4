/**
 * A fake provider and the proxy in front of it, fresh for each test of the `describe` that calls
 * this: started before each test, closed after it. Tests read `setup.provider` / `setup.proxy`.
 */
import { afterEach, beforeEach } from 'vitest';
import { startFakeProvider, type FakeProvider } from './fake-provider.js';
import { startProxy, type ProxyHarness, type StartProxyOptions } from './start-proxy.js';

export interface ProviderAndProxy {
  provider: FakeProvider;
  proxy: ProxyHarness;
}

export function useProviderAndProxy(options: Omit<StartProxyOptions, 'upstreamUrl'> = {}): ProviderAndProxy {
  const setup = {} as ProviderAndProxy;
  beforeEach(async () => {
    setup.provider = await startFakeProvider();
    setup.proxy = await startProxy({ ...options, upstreamUrl: setup.provider.url });
  });
  afterEach(async () => {
    await setup.proxy.close();
    await setup.provider.close();
  });
  return setup;
}
