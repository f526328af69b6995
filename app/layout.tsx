import type { Metadata } from 'next';
import { headers } from 'next/headers';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { signedInAccountOf } from '../server/access/account-header';
import { Providers } from './providers';
import './globals.css';

// Every page is rendered per request: the Content Security Policy's nonce (proxy.ts) is fresh each time.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: 'Hubble Flow Dashboard',
  description: 'Every Hubble flow, kept: service map, drops, hubble observe filters over history.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const account = signedInAccountOf(await headers());
  return (
    <html lang="en">
      <body>
        <header className="top-bar">
          <a href="/" className="brand">Hubble Flow Dashboard</a>
          <nav aria-label="Main">
            <Link href="/flows">Flows</Link>
            <Link href="/map">Map</Link>
            <Link href="/drops">Drops</Link>
            <Link href="/investigations">Investigations</Link>
          </nav>
          {/* A plain link: Next would prefetch a <Link>, and prefetching this one signs out. */}
          {account && <span className="muted">{account.user} · <a href={account.signOutPath}>Sign out</a></span>}
        </header>
        <Providers>
          <main>{children}</main>
        </Providers>
      </body>
    </html>
  );
}
