import { describe, expect, it } from 'vitest';
import { failureWithoutAnswer } from '../../src/http/failureWithoutAnswer.js';
import { failureOfStatus } from '../../src/model/failure.js';

describe('the failure class of an HTTP answer', () => {
  it('reads credentials, throttling, absence, conflicts and server trouble from the status', () => {
    expect([401, 403, 404, 409, 429, 503, 500, 400].map(failureOfStatus)).toEqual([
      { class: 'fatal', cause: 'credentials' },
      { class: 'fatal', cause: 'credentials' },
      { class: 'notFound' },
      { class: 'conflict' },
      { class: 'throttled' },
      { class: 'throttled' },
      { class: 'transient' },
      { class: 'badRequest' },
    ]);
  });
});

describe('the failure class of a call that got no answer', () => {
  it('takes a connection that could not be made as an unreachable source, by code or in the words the Graph SDK keeps', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const unknownHost = Object.assign(new Error('getaddrinfo ENOTFOUND graph.invalid'), {
      code: 'ENOTFOUND',
    });
    const untrusted = new Error('self-signed certificate in certificate chain');
    const graphWrapped = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'Error' });
    for (const error of [refused, unknownHost, untrusted, graphWrapped]) {
      expect(failureWithoutAnswer(error), error.message).toEqual({ class: 'fatal', cause: 'unreachable' });
    }
  });

  it('takes a sign-in the token service refused as a credentials problem', () => {
    const refused = Object.assign(new Error('invalid_client: AADSTS7000215'), {
      code: 'AuthenticationRequiredError',
    });
    expect(failureWithoutAnswer(refused)).toEqual({ class: 'fatal', cause: 'credentials' });
  });

  it('leaves anything else to the next attempt', () => {
    expect(failureWithoutAnswer(new Error('a delta page had neither a next link nor a delta link'))).toEqual({
      class: 'transient',
    });
  });
});
