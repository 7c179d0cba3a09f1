import escapeHtml from 'escape-html';
import type { Classification, KbHit } from '@repo/domain';

/**
 * The internal note left for the agent who takes over: the customer's question, how the bot read it,
 * why it handed off, and the KB articles it considered, so the agent starts where the bot stopped.
 */
export function handoffNoteHtml(input: { questions: string[]; classification: Classification; reasons: string[]; hits: KbHit[] }): string {
  const c = input.classification;
  const question = input.questions.map((q) => `<blockquote>${escapeHtml(q)}</blockquote>`).join('');
  const articles =
    input.hits.length === 0
      ? '<li>ничего подходящего не найдено</li>'
      : input.hits
          .slice(0, 5)
          .map((h) => `<li>${escapeHtml(h.title)} — ${(h.score * 100).toFixed(0)}%</li>`)
          .join('');
  return [
    '<p><b>AI-консультант передал заявку оператору.</b></p>',
    `<p>Причина: ${input.reasons.map((r) => escapeHtml(r)).join(', ')}</p>`,
    `<p>Вопрос клиента:</p>${question}`,
    `<p>Намерение: ${escapeHtml(c.intent)}; язык: ${escapeHtml(c.language)}; тон: ${escapeHtml(c.tone)}${c.topic ? `; тема: ${escapeHtml(c.topic)}` : ''}</p>`,
    `<p>Статьи базы знаний:</p><ul>${articles}</ul>`,
  ].join('\n');
}
