import { describe, expect, it } from 'vitest';
import { parseObserveArgs } from '../../lib/filter/observe-args';
import { splitShellWords } from '../../lib/api/shell-words';
import { impliedVerdict } from './investigation-plan';

const filters = (q: string) => parseObserveArgs(splitShellWords(q)).filters;

describe('impliedVerdict', () => {
  it.each([
    ['--verdict DROPPED', 2],
    ['--verdict DROPPED --namespace shop --not --to-port 53', 2],
    ['--drop-reason-desc POLICY_DENIED', 2],
    ['--verdict FORWARDED --verdict DROPPED --drop-reason-desc POLICY_DENIED', 2],
    [`--allowlist '{"verdict":["FORWARDED"]}' --allowlist '{"verdict":[1]}'`, 1],
    ['', undefined],
    ['--namespace shop', undefined],
    ['--verdict FORWARDED --verdict DROPPED', undefined],
    [`--allowlist '{"verdict":["DROPPED"]}' --allowlist '{"source_pod":["shop/"]}'`, undefined],
    [`--allowlist '{"verdict":["VERDICT_UNKNOWN"]}'`, undefined],
    [`--allowlist '{"verdict":[70000]}'`, undefined],
    ['--verdict FORWARDED --drop-reason-desc POLICY_DENIED', undefined],
  ])('%s → %s', (q, verdict) => {
    expect(impliedVerdict(filters(q))).toBe(verdict);
  });
});
