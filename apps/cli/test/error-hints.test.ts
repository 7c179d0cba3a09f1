import { AppError } from '@repo/domain';
import { HdeApiError } from '@repo/hde-client';
import { hintFor } from '../src/error-hints';

// An HDE address the shared network guard refuses can only be allowed by the operator's
// HDE_ALLOW_PRIVATE_NETWORK: the command says so beside the refusal, and nothing else gets the advice.
describe('the CLI hint beside a failure', () => {
  it('names HDE_ALLOW_PRIVATE_NETWORK for an http address, a private host, and a host resolving to a private address', () => {
    const refused = [
      new AppError('hde_client_config', 'HDE base URL must use https', { retryable: false }),
      new AppError('hde_client_config', 'HDE base URL must not point at a private, loopback or link-local address', { retryable: false }),
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
    expect(hintFor(new AppError('hde_client_config', 'HDE e-mail and API key are required', { retryable: false }))).toBeUndefined();
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
