import { encodeWireJson, keyById } from './wire-json';

describe('wire-json', () => {
  it('keeps the insertion order of id-keyed data, unlike a JS object', () => {
    const text = encodeWireJson({ data: keyById([{ id: 10 }, { id: 9 }]) });
    expect(text).toBe('{"data":{"10":{"id":10},"9":{"id":9}}}');
  });

  it('encodes an empty id-keyed list as [] the way PHP does', () => {
    expect(encodeWireJson({ data: keyById([]) })).toBe('{"data":[]}');
  });

  it('escapes non-ASCII and slashes like PHP json_encode and stays valid JSON', () => {
    const value = { text: '<p>Привет "мир"</p>\n' };
    const text = encodeWireJson(value);
    expect(text).toBe('{"text":"<p>\\u041f\\u0440\\u0438\\u0432\\u0435\\u0442 \\"\\u043c\\u0438\\u0440\\"<\\/p>\\n"}');
    expect(JSON.parse(text)).toEqual(value);
  });
});
