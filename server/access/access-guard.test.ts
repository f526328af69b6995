import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuthConfig } from '../config';
import { guardRequests } from './access-guard';
import { namespacesOfGroups } from './authenticate';
import { VIEWER_HEADER } from './viewer-header';

const PROXY: AuthConfig = {
  mode: 'proxy', trustedProxies: ['127.0.0.1'], userHeader: 'x-forwarded-user', groupsHeader: 'x-forwarded-groups',
  access: [{ group: 'sre', namespaces: '*' }, { group: 'team-a', namespaces: ['shop'] }, { group: 'team-b', namespaces: ['billing', 'shop'] }],
};

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A server whose handler echoes the viewer header the guard passed on. */
async function start(auth: AuthConfig, host = '127.0.0.1'): Promise<string> {
  server = createServer(guardRequests(auth, (req, res) => res.end(String(req.headers[VIEWER_HEADER] ?? '-'))));
  await new Promise<void>((resolve) => server!.listen(0, host, resolve));
  return `http://${host}:${(server.address() as AddressInfo).port}`;
}

const viewer = async (res: Response) => JSON.parse(decodeURIComponent(await res.text()));

describe('guardRequests', () => {
  it('passes the proxy-named viewer on, never a header a client typed', async () => {
    const url = await start(PROXY);
    const res = await fetch(`${url}/api/flows`, { headers: { 'x-forwarded-user': 'ana', 'x-forwarded-groups': 'team-a, team-b', [VIEWER_HEADER]: 'forged' } });
    expect(res.status).toBe(200);
    expect(await viewer(res)).toEqual({ user: 'ana', groups: ['team-a', 'team-b'], namespaces: ['billing', 'shop'] });
  });

  it('refuses requests without a user, with no granted namespace, or not from the proxy', async () => {
    const url = await start(PROXY);
    const anon = await fetch(`${url}/api/flows`);
    expect(anon.status).toBe(401);
    expect((await anon.json()).error).toMatch(/not signed in/);
    const nobody = await fetch(`${url}/flows`, { headers: { 'x-forwarded-user': 'eve', 'x-forwarded-groups': 'interns' } });
    expect(nobody.status).toBe(403);
    expect(await nobody.text()).toMatch(/eve \(groups: interns\) may see no namespace/);
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    const elsewhere = await start({ ...PROXY, trustedProxies: ['10.1.2.3'] });
    const direct = await fetch(`${elsewhere}/api/flows`, { headers: { 'x-forwarded-user': 'ana', 'x-forwarded-groups': 'sre' } });
    expect(direct.status).toBe(403);
    expect((await direct.json()).error).toMatch(/authenticating proxy/);
  });

  it('leaves probes and metrics open, and strips the header when access control is off', async () => {
    const url = await start(PROXY);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/metrics`)).status).toBe(200);
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    const open = await start({ mode: 'none' });
    expect(await (await fetch(`${open}/api/flows`, { headers: { [VIEWER_HEADER]: 'forged' } })).text()).toBe('-');
  });
});

describe('namespacesOfGroups', () => {
  it('unions grants, and any * grants all', () => {
    expect(namespacesOfGroups(PROXY.mode === 'proxy' ? PROXY.access : [], ['team-b', 'team-a'])).toEqual(['billing', 'shop']);
    expect(namespacesOfGroups(PROXY.mode === 'proxy' ? PROXY.access : [], ['team-a', 'sre'])).toBe('*');
    expect(namespacesOfGroups(PROXY.mode === 'proxy' ? PROXY.access : [], [])).toEqual([]);
  });
});
