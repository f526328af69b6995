/**
 * An HTTP server behind the real guard in oidc mode, configured through loadConfig exactly as the
 * dashboard is, signing in with a fake provider of its own. Test code only.
 */
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig, type AuthConfig } from '../../config';
import { guardRequests } from '../access-guard';
import type { ReadinessCheck } from '../ops-access';
import { startFakeOidcProvider, type FakeOidcProvider, type FakeOidcProviderOptions } from './fake-oidc-provider';

export const TEST_CLIENT = { clientId: 'hubble-dashboard', clientSecret: 'client secret:with/odd+characters' };
export const TEST_SESSION_SECRET = 'a-test-session-secret-of-forty-characters';
export const TEST_ACCESS = 'sre=*;team-a=shop;team-p=payments';

/** A request with this header looks to the guard as if it came from that address (not loopback). */
export const TEST_PEER_HEADER = 'x-test-peer-address';

export interface GuardedServerOptions {
  /** More settings, e.g. HUBBLE_DASHBOARD_METRICS_TOKEN. */
  env?: Record<string, string>;
  ready?: ReadinessCheck;
}

export interface GuardedServer {
  url: string;
  provider: FakeOidcProvider;
  auth: AuthConfig;
  close(): Promise<void>;
}

export async function startOidcGuardedServer(handler: RequestListener, providerOpts: Partial<FakeOidcProviderOptions> = {}, opts: GuardedServerOptions = {}): Promise<GuardedServer> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = await startFakeOidcProvider({ ...TEST_CLIENT, redirectUri: `${url}/auth/callback`, ...providerOpts });
  const { auth } = loadConfig({
    HUBBLE_DASHBOARD_AUTH: 'oidc', HUBBLE_DASHBOARD_OBSERVER_ADDR: 'off', HUBBLE_DASHBOARD_ACCESS: TEST_ACCESS,
    HUBBLE_DASHBOARD_OIDC_ISSUER: provider.issuer, HUBBLE_DASHBOARD_OIDC_CLIENT_ID: TEST_CLIENT.clientId,
    HUBBLE_DASHBOARD_OIDC_CLIENT_SECRET: TEST_CLIENT.clientSecret, HUBBLE_DASHBOARD_PUBLIC_URL: url,
    HUBBLE_DASHBOARD_SESSION_SECRET: TEST_SESSION_SECRET, ...opts.env,
  });
  const guard = guardRequests(auth, handler, { ready: opts.ready });
  server.on('request', (req, res) => {
    const peer = req.headers[TEST_PEER_HEADER];
    // Everything here connects over loopback; this stands in for a pod or ingress address. The
    // socket may serve the next request too (keep-alive), which then gets its own address back.
    if (typeof peer === 'string') Object.defineProperty(req.socket, 'remoteAddress', { value: peer, configurable: true });
    else delete (req.socket as { remoteAddress?: string }).remoteAddress;
    guard(req, res);
  });
  return {
    url, provider, auth,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await provider.close();
    },
  };
}
