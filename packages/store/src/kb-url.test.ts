import { checkedKbUrl, isSafeKbUrl } from './kb-url';

describe('KB article links', () => {
  it('accepts http and https addresses only', () => {
    expect(isSafeKbUrl('https://help.example/a')).toBe(true);
    expect(isSafeKbUrl('http://help.example/a')).toBe(true);
    for (const bad of [
      'javascript:alert(1)',
      ' JavaScript:alert(1)',
      'java\tscript:alert(1)',
      'data:text/html,<script>',
      'vbscript:x',
      '//help.example',
      'not a url',
    ]) {
      expect(isSafeKbUrl(bad)).toBe(false);
    }
  });

  it('turns an empty link into none and refuses an unsafe one with a clear, non-retryable error', () => {
    expect(checkedKbUrl('')).toBeNull();
    expect(checkedKbUrl(undefined)).toBeNull();
    expect(() => checkedKbUrl('javascript:alert(1)')).toThrow(expect.objectContaining({ code: 'kb_invalid_url', retryable: false }));
  });
});
