import { createHdeClient, HdeApiError } from '@repo/hde-client';
import { hintFor } from '../src/error-hints';

// An HDE address the shared network guard refuses can only be allowed by the operator's
// HDE_ALLOW_PRIVATE_NETWORK: the command says so beside the refusal, and nothing else gets the advice.
describe('the CLI hint beside a failure', () => {
  /** What creating a client for these options throws (the client's own checks, not a hand-made error). */
  const refusalOf = (baseUrl: string, apiKey = 'key') => {
    try {
      createHdeClient({ baseUrl, email: 'bot@acme.example', apiKey });
    } catch (error) {
      return error;
    }
    throw new Error(`${baseUrl} was not refused`);
  };

  it('names HDE_ALLOW_PRIVATE_NETWORK for an http address, a private host, and a host resolving to a private address', () => {
    const refused = [
      refusalOf('http://acme.helpdeskeddy.com'),
      refusalOf('https://192.168.1.10'),
      new HdeApiError({
        reason: 'network',
        retryable: false,
        method: 'GET',
        endpoint: 'GET /users/',
        mayHaveLanded: false,
        cause: { name: 'NetworkError', code: 'EPRIVATEADDR' },
      }),
    ];
    for (const error of refused) expect(hintFor(error)).toContain('HDE_ALLOW_PRIVATE_NETWORK=true');
  });

  it('gives no advice for other failures', () => {
    expect(hintFor(refusalOf('https://acme.helpdeskeddy.com', ''))).toBeUndefined();
    expect(
      hintFor(
        new HdeApiError({
          reason: 'network',
          retryable: true,
          method: 'GET',
          endpoint: 'GET /users/',
          mayHaveLanded: false,
          cause: { name: 'NetworkError', code: 'ECONNREFUSED' },
        }),
      ),
    ).toBeUndefined();
    expect(hintFor(new Error('must use https'))).toBeUndefined();
  });
});
