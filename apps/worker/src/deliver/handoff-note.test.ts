import type { Classification } from '@repo/domain';
import { handoffNoteHtml } from './handoff-note';

const classification: Classification = {
  intent: 'question',
  language: 'ru',
  tone: 'neutral',
  topic: 'доставка',
} as Classification;

describe('hand-off note', () => {
  it('says every code in words, never as a raw identifier', () => {
    const html = handoffNoteHtml({
      questions: ['Сколько действует гарантия на смартфон?'],
      classification,
      reasons: ['low_confidence', 'negative_tone'],
      hits: [{ articleId: 1, passageId: 1, title: 'Гарантийный ремонт', passage: '…', score: 0.19 }],
    });
    expect(html).toContain('Не нашёл уверенного ответа в базе знаний');
    expect(html).toContain('Клиент раздражён');
    expect(html).toContain('намерение — вопрос');
    expect(html).toContain('язык — русский');
    expect(html).toContain('тон — спокойный');
    expect(html).toContain('Гарантийный ремонт — 19%');
    for (const code of ['low_confidence', 'negative_tone', 'question;', 'neutral', ': ru']) expect(html).not.toContain(code);
  });

  it('lists the articles the search considered surest first, five at most', () => {
    const hit = (articleId: number, score: number) => ({
      articleId,
      passageId: articleId,
      title: `Статья ${articleId}`,
      passage: '…',
      score,
    });
    const html = handoffNoteHtml({
      questions: ['Вопрос'],
      classification,
      reasons: ['low_confidence'],
      hits: [hit(1, 0.2), hit(2, 0.2), hit(3, 0.14), hit(4, 0.21), hit(5, 0.07), hit(6, 0.5)],
    });
    const listed = [...html.matchAll(/<li>(Статья \d) — (\d+)%<\/li>/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(listed).toEqual(['Статья 4 21', 'Статья 1 20', 'Статья 2 20', 'Статья 3 14', 'Статья 5 7']);
  });

  it('escapes the customer text and titles, and reads an unknown code as words', () => {
    const html = handoffNoteHtml({
      questions: ['<script>alert(1)</script>'],
      classification: { ...classification, topic: undefined } as Classification,
      reasons: ['some_new_reason'],
      hits: [],
    });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('some new reason');
    expect(html).toContain('ничего подходящего не найдено');
  });
});
