import { trimTrailingSlashes } from './trailing-slashes';

describe('trimTrailingSlashes', () => {
  it('drops every slash at the end and nothing else', () => {
    expect(trimTrailingSlashes('https://acme.helpdeskeddy.com/')).toBe('https://acme.helpdeskeddy.com');
    expect(trimTrailingSlashes('https://acme.helpdeskeddy.com/api///')).toBe('https://acme.helpdeskeddy.com/api');
    expect(trimTrailingSlashes('a//b')).toBe('a//b');
    expect(trimTrailingSlashes('///')).toBe('');
    expect(trimTrailingSlashes('')).toBe('');
    expect(trimTrailingSlashes(`acme/${'/'.repeat(100_000)}x`)).toBe(`acme/${'/'.repeat(100_000)}x`);
  });
});
