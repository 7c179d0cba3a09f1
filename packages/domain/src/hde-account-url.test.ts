import { hdeAccountUrl } from './hde-account-url';

describe('hdeAccountUrl', () => {
  it('turns what people type as the HDE domain into the account root', () => {
    expect(hdeAccountUrl('acme.helpdeskeddy.com')).toBe('https://acme.helpdeskeddy.com');
    expect(hdeAccountUrl(' https://acme.helpdeskeddy.com/ru/ticket/list// ')).toBe('https://acme.helpdeskeddy.com');
    expect(hdeAccountUrl('https://acme.helpdeskeddy.com/api/v2/')).toBe('https://acme.helpdeskeddy.com');
    expect(hdeAccountUrl('http://127.0.0.1:4010/a/shop/api/v2/')).toBe('http://127.0.0.1:4010/a/shop');
  });

  it('refuses what is no http(s) address', () => {
    expect(hdeAccountUrl('')).toBeUndefined();
    expect(hdeAccountUrl('ftp://acme.helpdeskeddy.com')).toBeUndefined();
    expect(hdeAccountUrl('https://')).toBeUndefined();
  });

  it('refuses a value no address is as long as, before parsing it', () => {
    expect(hdeAccountUrl(`acme.helpdeskeddy.com/${'/'.repeat(64_000)}a`)).toBeUndefined();
    expect(hdeAccountUrl(`acme.helpdeskeddy.com/${'a/'.repeat(900)}`)).toMatch(/^https:\/\/acme\.helpdeskeddy\.com\/a\//);
  });
});
