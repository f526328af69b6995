import { describe, expect, it } from 'vitest';
import { ApiRequestError } from '../api/api-request';
import { isSignedOutError } from './session-ended';

describe('isSignedOutError', () => {
  it('is true only for an API refusal with HTTP status 401', () => {
    expect(isSignedOutError(new ApiRequestError('not signed in', 401))).toBe(true);
    expect(isSignedOutError(new ApiRequestError('forbidden', 403))).toBe(false);
    expect(isSignedOutError(Object.assign(new Error('not signed in'), { status: 401 }))).toBe(false);
    expect(isSignedOutError(new Error('HTTP 401'))).toBe(false);
    expect(isSignedOutError(undefined)).toBe(false);
  });
});
