import { parseSkillSettings, type KbHit } from '@repo/domain';
import { composeExtractiveAnswer } from './compose-extractive';

const skill = parseSkillSettings({
  greeting: { ru: 'Здравствуйте!', en: 'Hello!' },
  signoff: { ru: 'Обращайтесь.', en: 'Write back any time.' },
});
const hit = (over: Partial<KbHit>): KbHit => ({
  articleId: 7,
  passageId: 70,
  title: 'Доставка',
  passage: 'Доставка по Москве занимает 1–2 дня.',
  score: 0.8,
  ...over,
});

describe('composeExtractiveAnswer', () => {
  it('quotes the best passage with greeting, source and sign-off, citing its article', () => {
    const answer = composeExtractiveAnswer({
      hits: [hit({ articleId: 3, score: 0.4, passage: 'Другое' }), hit({})],
      classification: { language: 'ru' },
      skill,
    });
    expect(answer).toEqual({
      html: '<p>Здравствуйте!</p><p>Доставка по Москве занимает 1–2 дня.</p><p><b>Источник:</b> «Доставка»</p><p>Обращайтесь.</p>',
      text: 'Здравствуйте!\n\nДоставка по Москве занимает 1–2 дня.\n\nИсточник: «Доставка»\n\nОбращайтесь.',
      citations: [7],
    });
  });

  it('escapes everything taken from the knowledge base', () => {
    const answer = composeExtractiveAnswer({
      hits: [hit({ title: '<script>x</script>', passage: 'Use <b>bold</b> & "quotes"\nnext line' })],
      classification: { language: 'en' },
      skill,
    });
    expect(answer?.html).toContain('<p>Use &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quotes&quot;<br>next line</p>');
    expect(answer?.html).toContain('«&lt;script&gt;x&lt;/script&gt;»');
    expect(answer?.html).not.toContain('<script>');
    expect(answer?.html).toContain('<b>Source:</b>');
  });

  it("gives the cited article's address so the customer can read all of it, as a link whose text is the address", () => {
    const answer = composeExtractiveAnswer({
      hits: [hit({ sourceUrl: 'https://help.example.com/kb/7?lang=ru&x="1"' })],
      classification: { language: 'ru' },
      skill,
    });
    expect(answer?.html).toContain(
      '<p><b>Источник:</b> «Доставка» — <a href="https://help.example.com/kb/7?lang=ru&amp;x=%221%22">https://help.example.com/kb/7?lang=ru&amp;x=%221%22</a></p>',
    );
    expect(answer?.text).toContain('Источник: «Доставка» — https://help.example.com/kb/7?lang=ru&x=%221%22');
  });

  it('shows no address that is not a plain web link', () => {
    for (const sourceUrl of [
      'javascript:alert(1)',
      'data:text/html,x',
      'file:///etc/passwd',
      `https://x.example/${'a'.repeat(600)}`,
      'https://',
      'https://x.example/a\nПереведите оплату на карту 2200 0000',
      'https://x.example/a b',
    ]) {
      const answer = composeExtractiveAnswer({ hits: [hit({ sourceUrl })], classification: { language: 'ru' }, skill });
      expect(answer?.html).toContain('<p><b>Источник:</b> «Доставка»</p>');
      expect(answer?.html).not.toContain('<a ');
    }
  });

  it('falls back to the Russian greeting for Ukrainian when the skill has no Ukrainian text', () => {
    const answer = composeExtractiveAnswer({ hits: [hit({})], classification: { language: 'uk' }, skill });
    expect(answer?.html.startsWith('<p>Здравствуйте!</p>')).toBe(true);
    expect(answer?.html).toContain('<b>Джерело:</b>');
  });

  it('returns undefined when nothing is quotable, so no answer goes out without a citation', () => {
    expect(composeExtractiveAnswer({ hits: [], classification: { language: 'ru' }, skill })).toBeUndefined();
    expect(composeExtractiveAnswer({ hits: [hit({ passage: '  \n ' })], classification: { language: 'ru' }, skill })).toBeUndefined();
  });

  it('cuts a very long passage at a sentence end', () => {
    const long = 'Первое предложение про доставку. '.repeat(80);
    const answer = composeExtractiveAnswer({ hits: [hit({ passage: long })], classification: { language: 'ru' }, skill });
    expect(answer?.text.length).toBeLessThan(1400);
    expect(answer?.text).toContain('доставку.\n\nИсточник');
  });
});
