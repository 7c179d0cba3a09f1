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

/** An article an answer cites: its title, and its public address when it has one. */
export type AnswerSource = { title: string; url?: string | undefined };

/** Longest article address written into a reply. */
const MAX_SOURCE_URL_CHARS = 500;

/**
 * An article address fit to show a customer: http(s) only, bounded, without whitespace or control
 * characters (a stored address with a line break would put its own text into the reply), written
 * as the parser normalises it (imports check addresses too).
 */
function shownUrl(url: string | undefined): string | undefined {
  if (!url || url.length > MAX_SOURCE_URL_CHARS || !/^https?:\/\//i.test(url) || /[\s\p{Cc}]/u.test(url)) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Wraps an answer body in the skill's greeting and sign-off and names its sources: each cited
 * article's title, followed by its address when it has a public one, so the customer can read the
 * whole article. The address is also the link's text, so it survives channels that drop markup
 * (messengers get HDE's replies as text).
 */
export function decorateAnswer(
  body: { html: string; text: string },
  sources: AnswerSource[],
  language: Classification['language'],
  skill: Pick<SkillSettings, 'greeting' | 'signoff'>,
): { html: string; text: string } {
  const greeting = pickLocalised(skill.greeting, language);
  const signoff = pickLocalised(skill.signoff, language);
  const label = SOURCE_LABEL[replyLanguageOf(language)];
  const htmlSources = sources
    .map((s) => {
      const url = shownUrl(s.url);
      return url ? `${escapeHtml(`«${s.title}»`)} — <a href="${escapeHtml(url)}">${escapeHtml(url)}</a>` : escapeHtml(`«${s.title}»`);
    })
    .join(', ');
  const textSources = sources
    .map((s) => {
      const url = shownUrl(s.url);
      return url ? `«${s.title}» — ${url}` : `«${s.title}»`;
    })
    .join(', ');
  const html = [
    greeting ? paragraph(greeting) : '',
    body.html,
    sources.length > 0 ? `<p><b>${escapeHtml(label)}:</b> ${htmlSources}</p>` : '',
    signoff ? paragraph(signoff) : '',
  ].join('');
  const text = [greeting, body.text, sources.length > 0 ? `${label}: ${textSources}` : '', signoff].filter((s) => s !== '').join('\n\n');
  return { html, text };
}

/**
 * Quotes the best knowledge-base passage as the answer: the highest-scoring hit with quotable text,
 * cleaned, as safe HTML (everything escaped; only `<p>`, `<br>`, `<b>` and the source's `<a>` added), between the
 * skill's greeting and sign-off in the customer's language (Ukrainian falls back to Russian), with
 * the article it came from ("Источник: «…»", with its address when it has one). Returns undefined when no hit has quotable text, so
 * there is never an answer without a citation.
 */
export function composeExtractiveAnswer(input: ComposeExtractiveInput): ComposedAnswer | undefined {
  const best = [...input.hits].sort((a, b) => b.score - a.score).find((h) => /[\p{L}\p{N}]/u.test(h.passage));
  if (!best) return undefined;
  const quote = cleanPassage(best.passage);
  const decorated = decorateAnswer(
    { html: textToHtmlParagraphs(quote), text: quote },
    [{ title: best.title.trim() || `#${best.articleId}`, url: best.sourceUrl }],
    input.classification.language,
    input.skill,
  );
  return { ...decorated, citations: [best.articleId] };
}
