import { lexer, type Token } from 'marked';
import { compile } from 'html-to-text';

/** A piece of an article small enough to rank and quote. */
export type Passage = { heading: string; text: string };

/** Passages grow to about this many characters before a new one starts. */
const TARGET_CHARS = 700;

function inlineText(tokens: Token[] | undefined, fallback: string): string {
  if (!tokens || tokens.length === 0) return fallback;
  return tokens
    .map((t) => {
      const child = (t as { tokens?: Token[] }).tokens;
      if (t.type === 'br') return '\n';
      if (child) return inlineText(child, (t as { text?: string }).text ?? '');
      return (t as { text?: string }).text ?? t.raw;
    })
    .join('');
}

function blockText(token: Token): string {
  switch (token.type) {
    case 'paragraph':
    case 'text':
      return inlineText((token as { tokens?: Token[] }).tokens, (token as { text?: string }).text ?? '');
    case 'list':
      return (token as { items: Array<{ tokens?: Token[]; text: string }> }).items
        .map((item) => `• ${item.tokens ? item.tokens.map(blockText).join(' ').trim() : item.text}`)
        .join('\n');
    case 'code':
      return (token as { text: string }).text;
    case 'blockquote':
      return ((token as { tokens?: Token[] }).tokens ?? []).map(blockText).join('\n');
    case 'table': {
      const t = token as { header: Array<{ text: string }>; rows: Array<Array<{ text: string }>> };
      return [t.header.map((c) => c.text).join(' | '), ...t.rows.map((r) => r.map((c) => c.text).join(' | '))].join('\n');
    }
    case 'html':
      return inlineHtmlToText((token as { text: string }).text);
    case 'space':
    case 'hr':
      return '';
    default:
      return (token as { text?: string }).text ?? '';
  }
}

/** Splits Markdown into passages by headings and paragraphs, keeping the nearest heading with each. */
export function splitMarkdown(markdown: string): Passage[] {
  const passages: Passage[] = [];
  let heading = '';
  let buffer: string[] = [];
  const flush = () => {
    const text = buffer.join('\n\n').trim();
    if (text) passages.push({ heading, text });
    buffer = [];
  };
  for (const token of lexer(markdown)) {
    if (token.type === 'heading') {
      flush();
      heading = inlineText((token as { tokens?: Token[] }).tokens, (token as { text: string }).text).trim();
      continue;
    }
    const text = blockText(token).trim();
    if (!text) continue;
    if (buffer.join('\n\n').length + text.length > TARGET_CHARS && buffer.length > 0) flush();
    buffer.push(text);
  }
  flush();
  return passages;
}

// Converters are compiled once: html-to-text's `convert` rebuilds its selector decision tree on
// every call, which dominated importing a knowledge base of many short HTML articles.
const inlineHtmlToText = compile({ wordwrap: false });
/** HTML articles: headings become Markdown headings so the same splitter keeps them with their paragraphs. */
const htmlToText = compile({
  wordwrap: false,
  selectors: [
    { selector: 'h1', format: 'blockString', options: { leadingLineBreaks: 2, trailingLineBreaks: 2 } },
    { selector: 'h2', format: 'blockString', options: { leadingLineBreaks: 2, trailingLineBreaks: 2 } },
    { selector: 'h3', format: 'blockString', options: { leadingLineBreaks: 2, trailingLineBreaks: 2 } },
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' },
  ],
});

/** Splits an article body of any supported format into passages. */
export function splitArticle(body: string, format: 'markdown' | 'html' | 'text'): Passage[] {
  if (format === 'markdown') return splitMarkdown(body);
  if (format === 'html') {
    const text = htmlToText(body);
    return splitPlain(text);
  }
  return splitPlain(body);
}

function splitPlain(text: string): Passage[] {
  const paragraphs = text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  const passages: Passage[] = [];
  let buffer: string[] = [];
  for (const p of paragraphs) {
    if (buffer.join('\n\n').length + p.length > TARGET_CHARS && buffer.length > 0) {
      passages.push({ heading: '', text: buffer.join('\n\n') });
      buffer = [];
    }
    buffer.push(p);
  }
  if (buffer.length > 0) passages.push({ heading: '', text: buffer.join('\n\n') });
  return passages;
}

/** Most links kept of one article. */
const MAX_ARTICLE_LINKS = 50;
// Bounded parts, one character class each: linear in the body.
const HTML_HREF = /href\s*=\s*["'](https?:\/\/[^"'\s<>]{1,500})["']/giu;
// A Markdown target ends at a space (before a `"title"`) or the closing parenthesis.
const MARKDOWN_TARGET = /\]\((https?:\/\/[^\s<>)]{1,500})(?=[\s)])/giu;

/**
 * The web addresses an article's body links to: the `href`s of HTML links and the targets of
 * Markdown links, which its passages do not keep (they keep the links' words). At most
 * {@link MAX_ARTICLE_LINKS}, http(s) only, in order of first appearance, `&amp;` read as `&`.
 * Plain-text addresses stay in the passages' text.
 */
export function articleLinks(body: string, format: 'markdown' | 'html' | 'text'): string[] {
  if (format === 'text') return [];
  const pattern = format === 'html' ? HTML_HREF : MARKDOWN_TARGET;
  const out = new Set<string>();
  for (const m of body.matchAll(pattern)) {
    out.add(m[1]!.replaceAll('&amp;', '&'));
    if (out.size >= MAX_ARTICLE_LINKS) break;
  }
  return [...out];
}
