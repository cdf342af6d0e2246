import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asOAuthError, toErrorResponse } from './error-response';

describe('asOAuthError on database outages', () => {
  const outage = (error: unknown) => asOAuthError(error).code;

  it('maps the shapes pg, pg-pool and TypeORM raise when PostgreSQL is unreachable to temporarily_unavailable', () => {
    assert.equal(
      outage(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })),
      'temporarily_unavailable',
    );
    assert.equal(outage(new Error('Connection terminated unexpectedly')), 'temporarily_unavailable');
    assert.equal(outage(new Error('timeout exceeded when trying to connect')), 'temporarily_unavailable');
    const driverError = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    assert.equal(outage(Object.assign(new Error('QueryFailedError'), { driverError })), 'temporarily_unavailable');
  });

  it('answers 503 with Retry-After, and keeps other errors a 500 server_error', () => {
    const response = toErrorResponse(new Error('timeout exceeded when trying to connect'), 'realm');
    assert.equal(response.status, 503);
    assert.equal(response.headers['Retry-After'], '5');
    assert.equal(toErrorResponse(new TypeError('x is undefined'), 'realm').status, 500);
  });
});
