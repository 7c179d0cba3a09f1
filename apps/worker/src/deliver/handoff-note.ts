import escapeHtml from 'escape-html';
import { decisionWord, type Classification, type KbHit } from '@repo/domain';

/**
 * The internal note left for the agent who takes over: the customer's question, how the bot read it,
 * why it handed off, and the KB articles it considered, so the agent starts where the bot stopped.
 * Every code is in words (the table the admin app shows too): an agent reads «Не нашёл уверенного
 * ответа в базе знаний», never `low_confidence`. The note is in Russian, HDE's agents' language.
 */
export function handoffNoteHtml(input: { questions: string[]; classification: Classification; reasons: string[]; hits: KbHit[] }): string {
  const c = input.classification;
  const question = input.questions.map((q) => `<blockquote>${escapeHtml(q)}</blockquote>`).join('');
  const articles =
    input.hits.length === 0
      ? '<li>ничего подходящего не найдено</li>'
      : // Below the top hit, an article's percentage is its own confidence (capped at the top's),
        // which need not fall with the search's order (a near-duplicate's twin is placed after
        // other articles): the agent reads the surest first; the top hit stays first on a tie.
        [...input.hits]
          .slice(0, 5)
          .sort((a, b) => b.score - a.score)
          .map((h) => `<li>${escapeHtml(h.title)} — ${(h.score * 100).toFixed(0)}%</li>`)
          .join('');
  const reasons = input.reasons.map((r) => escapeHtml(decisionWord('ru', 'reason', r))).join('; ');
  const reading = [
    `намерение — ${decisionWord('ru', 'intent', c.intent)}`,
    `язык — ${decisionWord('ru', 'language', c.language)}`,
    `тон — ${decisionWord('ru', 'tone', c.tone)}`,
    ...(c.topic ? [`тема — ${c.topic}`] : []),
  ];
  return [
    '<p><b>AI-консультант передал заявку оператору.</b></p>',
    `<p>Причина: ${reasons}</p>`,
    `<p>Вопрос клиента:</p>${question}`,
    `<p>Как бот понял сообщение: ${escapeHtml(reading.join('; '))}</p>`,
    `<p>Статьи базы знаний (уверенность бота):</p><ul>${articles}</ul>`,
  ].join('\n');
}
