import { normaliseHdeUrl } from './integration-setup.service';

describe('normaliseHdeUrl', () => {
  it('turns what people type as the HDE domain into the account root', () => {
    expect(normaliseHdeUrl('acme.helpdeskeddy.com')).toBe('https://acme.helpdeskeddy.com');
    expect(normaliseHdeUrl(' https://acme.helpdeskeddy.com/ru/ticket/list// ')).toBe('https://acme.helpdeskeddy.com');
    expect(normaliseHdeUrl('http://127.0.0.1:4010/a/shop/api/v2/')).toBe('http://127.0.0.1:4010/a/shop');
  });

  it('refuses a value no address is as long as, before parsing it', () => {
    expect(() => normaliseHdeUrl(`acme.helpdeskeddy.com/${'/'.repeat(64_000)}a`)).toThrow();
    expect(normaliseHdeUrl(`acme.helpdeskeddy.com/${'a/'.repeat(900)}`)).toMatch(/^https:\/\/acme\.helpdeskeddy\.com\/a\//);
  });
});
