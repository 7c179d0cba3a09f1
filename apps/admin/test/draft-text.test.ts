import { draftText, textToHtml } from '../src/services/approve-draft.service';

describe('draftText', () => {
  it('gives the edit box the plain text of a draft, and its HTML back', () => {
    expect(draftText(textToHtml('Здравствуйте!\n\nОплатить можно картой.'))).toBe('Здравствуйте!\n\nОплатить можно картой.');
  });

  it('reads deeply nested HTML without overflowing the stack', () => {
    expect(() => draftText(`${'<b>'.repeat(6_000)}x`)).not.toThrow();
  });
});
