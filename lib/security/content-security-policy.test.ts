import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './content-security-policy';

const directive = (policy: string, name: string) => policy.split('; ').find((d) => d.startsWith(`${name} `));

describe('contentSecurityPolicy', () => {
  it('lets scripts run only from this origin or with the nonce, never inline or eval in production', () => {
    const policy = contentSecurityPolicy('abc123');
    expect(directive(policy, 'script-src')).toBe(`script-src 'self' 'nonce-abc123' 'strict-dynamic'`);
    expect(policy).not.toMatch(/unsafe-eval/);
    expect(directive(policy, 'script-src')).not.toMatch(/unsafe-inline/);
    expect(directive(policy, 'object-src')).toBe(`object-src 'none'`);
    expect(directive(policy, 'frame-ancestors')).toBe(`frame-ancestors 'none'`);
  });

  it('allows eval only for the development server', () => {
    expect(directive(contentSecurityPolicy('n', { dev: true }), 'script-src')).toMatch(/'unsafe-eval'$/);
  });
});
