import { describe, expect, it } from 'vitest';
import { classifyDbFailure, describeDbFailure } from './db-errors';

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('classifyDbFailure', () => {
  it.each([
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }), 'unavailable'],
    [pgError('57P01', 'terminating connection due to administrator command'), 'unavailable'],
    [pgError('57P03', 'the database system is starting up'), 'unavailable'],
    [pgError('08006', 'connection failure'), 'unavailable'],
    [pgError('53100', 'could not extend file: No space left on device'), 'unavailable'],
    [new Error('Connection terminated unexpectedly'), 'unavailable'],
    [pgError('22008', 'timestamp out of range'), 'rejected-data'],
    [pgError('23502', 'null value in column'), 'rejected-data'],
    [pgError('54000', 'row is too big'), 'rejected-data'],
    [pgError('40P01', 'deadlock detected'), 'other'],
    [pgError('42P01', 'relation "flows" does not exist'), 'other'],
  ])('%s → %s', (err, kind) => {
    expect(classifyDbFailure(err)).toBe(kind);
  });

  it('describes failures in one line, naming the cause', () => {
    expect(describeDbFailure(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })))
      .toBe('database unavailable: connect ECONNREFUSED 127.0.0.1:5432');
    const aggregate = Object.assign(new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' })], ''), { code: 'ECONNREFUSED' });
    expect(describeDbFailure(aggregate)).toBe('database unavailable: connect ECONNREFUSED ::1:5432');
    expect(describeDbFailure(pgError('42P01', 'relation "flows"\ndoes not exist'))).toBe('database write failed: relation "flows" does not exist');
  });
});
