import { describe, expect, it } from 'vitest';
import { isSignedOutError } from './session-ended';

describe('isSignedOutError', () => {
  it('is true only for an error that carries HTTP status 401', () => {
    expect(isSignedOutError(Object.assign(new Error('not signed in'), { status: 401 }))).toBe(true);
    expect(isSignedOutError(Object.assign(new Error('forbidden'), { status: 403 }))).toBe(false);
    expect(isSignedOutError(new Error('HTTP 401'))).toBe(false);
    expect(isSignedOutError(undefined)).toBe(false);
  });
});
