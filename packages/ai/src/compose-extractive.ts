import type { Classification, KbHit, SkillSettings } from '@repo/domain';
import { pickLocalised, replyLanguageOf } from './localise';
import { paragraph, textToHtmlParagraphs } from './safe-html';
import escapeHtml from 'escape-html';

/** A composed reply: safe HTML for HDE, the same as plain text, and the article ids it cites. */
export type ComposedAnswer = { html: string; text: string; citations: number[] };

/** What {@link composeExtractiveAnswer} needs. */
export type ComposeExtractiveInput = {
  hits: KbHit[];
  classification: Pick<Classification, 'language'>;
  skill: Pick<SkillSettings, 'greeting' | 'signoff'>;
};

/** Quoted passages longer than this are cut at a sentence end. */
export const MAX_QUOTE_CHARS = 1200;

const SOURCE_LABEL = { ru: 'Источник', uk: 'Джерело', en: 'Source' } as const;

/** Normalises a KB passage for quoting: no stray markup characters, tidy whitespace, bounded length. */
export function cleanPassage(passage: string): string {
  const tidy = passage
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  if (tidy.length <= MAX_QUOTE_CHARS) return tidy;
  const cut = tidy.slice(0, MAX_QUOTE_CHARS);
  const end = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('.\n'), cut.lastIndexOf('! '), cut.lastIndexOf('? '));
  return end > MAX_QUOTE_CHARS / 2 ? cut.slice(0, end + 1) : `${cut.trimEnd()}…`;
}

/** Wraps an answer body in the skill's greeting and sign-off and names its sources. */
export function decorateAnswer(
  body: { html: string; text: string },
  sources: string[],
  language: Classification['language'],
  skill: Pick<SkillSettings, 'greeting' | 'signoff'>,
): { html: string; text: string } {
  const greeting = pickLocalised(skill.greeting, language);
  const signoff = pickLocalised(skill.signoff, language);
  const label = SOURCE_LABEL[replyLanguageOf(language)];
  const quoted = sources.map((s) => `«${s}»`).join(', ');
  const html = [
    greeting ? paragraph(greeting) : '',
    body.html,
    sources.length > 0 ? `<p><b>${escapeHtml(label)}:</b> ${escapeHtml(quoted)}</p>` : '',
    signoff ? paragraph(signoff) : '',
  ].join('');
  const text = [greeting, body.text, sources.length > 0 ? `${label}: ${quoted}` : '', signoff].filter((s) => s !== '').join('\n\n');
  return { html, text };
}

/**
 * Quotes the best knowledge-base passage as the answer: the highest-scoring hit with quotable text,
 * cleaned, as safe HTML (everything escaped; only `<p>`, `<br>` and `<b>` added), between the
 * skill's greeting and sign-off in the customer's language (Ukrainian falls back to Russian), with
 * the article it came from ("Источник: «…»"). Returns undefined when no hit has quotable text, so
 * there is never an answer without a citation.
 */
export function composeExtractiveAnswer(input: ComposeExtractiveInput): ComposedAnswer | undefined {
  const best = [...input.hits].sort((a, b) => b.score - a.score).find((h) => /[\p{L}\p{N}]/u.test(h.passage));
  if (!best) return undefined;
  const quote = cleanPassage(best.passage);
  const decorated = decorateAnswer(
    { html: textToHtmlParagraphs(quote), text: quote },
    [best.title.trim() || `#${best.articleId}`],
    input.classification.language,
    input.skill,
  );
  return { ...decorated, citations: [best.articleId] };
}
