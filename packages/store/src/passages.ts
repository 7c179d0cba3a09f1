import { lexer, type Token } from 'marked';
import { compile } from 'html-to-text';
import { HTML_TEXT_MAX_DEPTH } from '@repo/domain';

/** A piece of an article small enough to rank and quote. */
export type Passage = { heading: string; text: string };

/** How an article body is written. */
export type ArticleFormat = 'markdown' | 'html' | 'text';

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

/**
 * Longest block (text between blank lines) read as Markdown. The Markdown lexer's inline parsing is
 * superlinear on some text (a run of 64,000 underscores took 38 s, holding the event loop of
 * whichever app imported it) and recurses once per nesting level (4,000 `>` overflow the stack);
 * a longer block is kept as plain text, as is a block the lexer cannot read.
 */
const MAX_MARKDOWN_BLOCK_CHARS = 4_000;

type Piece = { heading: string } | { text: string };

/** The Markdown's headings and block texts, in order. */
function markdownPieces(markdown: string): Piece[] {
  try {
    return lexer(markdown).map((token) =>
      token.type === 'heading'
        ? { heading: inlineText((token as { tokens?: Token[] }).tokens, (token as { text: string }).text).trim() }
        : { text: blockText(token).trim() },
    );
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return [{ text: markdown.trim() }];
  }
}

/** Splits Markdown into passages by headings and paragraphs, keeping the nearest heading with each. */
export function splitMarkdown(markdown: string): Passage[] {
  const blocks = markdown.length > MAX_MARKDOWN_BLOCK_CHARS ? markdown.split(/\n\s*\n/) : [markdown];
  const pieces: Piece[] = [];
  if (blocks.every((block) => block.length <= MAX_MARKDOWN_BLOCK_CHARS)) pieces.push(...markdownPieces(markdown));
  else {
    // Short blocks go to the lexer together (a list or a code block may span blank lines); a block
    // over the limit is plain text between them.
    let group: string[] = [];
    const lexGroup = () => {
      if (group.length > 0) pieces.push(...markdownPieces(group.join('\n\n')));
      group = [];
    };
    for (const block of blocks) {
      if (block.length <= MAX_MARKDOWN_BLOCK_CHARS) group.push(block);
      else {
        lexGroup();
        pieces.push({ text: block.trim() });
      }
    }
    lexGroup();
  }

  const passages: Passage[] = [];
  let heading = '';
  let buffer: string[] = [];
  const flush = () => {
    const text = buffer.join('\n\n').trim();
    if (text) passages.push({ heading, text });
    buffer = [];
  };
  for (const piece of pieces) {
    if ('heading' in piece) {
      flush();
      heading = piece.heading;
      continue;
    }
    if (!piece.text) continue;
    if (buffer.join('\n\n').length + piece.text.length > TARGET_CHARS && buffer.length > 0) flush();
    buffer.push(piece.text);
  }
  flush();
  return passages;
}

// Converters are compiled once: html-to-text's `convert` rebuilds its selector decision tree on
// every call, which dominated importing a knowledge base of many short HTML articles.
const inlineHtmlToText = compile({ wordwrap: false, limits: { maxDepth: HTML_TEXT_MAX_DEPTH } });
/** HTML articles: headings become Markdown headings so the same splitter keeps them with their paragraphs. */
const htmlToText = compile({
  wordwrap: false,
  limits: { maxDepth: HTML_TEXT_MAX_DEPTH },
  selectors: [
    { selector: 'h1', format: 'blockString', options: { leadingLineBreaks: 2, trailingLineBreaks: 2 } },
    { selector: 'h2', format: 'blockString', options: { leadingLineBreaks: 2, trailingLineBreaks: 2 } },
    { selector: 'h3', format: 'blockString', options: { leadingLineBreaks: 2, trailingLineBreaks: 2 } },
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' },
  ],
});

/**
 * Longest passage kept whole. A paragraph with no blank line in it (HTML of `<br>`s, a pasted log)
 * would otherwise be one passage of any length, and a passage is stored with every hit, quoted,
 * put into the LLM's prompt and checked sentence by sentence against its answer.
 */
export const MAX_PASSAGE_CHARS = 6_000;

/** Cuts a passage longer than {@link MAX_PASSAGE_CHARS} at the last space before the limit (or at the limit). */
function capPassageLength(passages: Passage[]): Passage[] {
  if (passages.every((p) => p.text.length <= MAX_PASSAGE_CHARS)) return passages;
  const out: Passage[] = [];
  for (const { heading, text } of passages) {
    let start = 0;
    while (text.length - start > MAX_PASSAGE_CHARS) {
      const space = text.lastIndexOf(' ', start + MAX_PASSAGE_CHARS);
      const end = space > start + MAX_PASSAGE_CHARS / 2 ? space : start + MAX_PASSAGE_CHARS;
      const piece = text.slice(start, end).trim();
      if (piece) out.push({ heading, text: piece });
      start = end;
    }
    const last = text.slice(start).trim();
    if (last) out.push({ heading, text: last });
  }
  return out;
}

/** Splits an article body of any supported format into passages of at most {@link MAX_PASSAGE_CHARS}. */
export function splitArticle(body: string, format: ArticleFormat): Passage[] {
  if (format === 'markdown') return capPassageLength(splitMarkdown(body));
  if (format === 'html') return capPassageLength(splitPlain(htmlToText(body)));
  return capPassageLength(splitPlain(body));
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
export function articleLinks(body: string, format: ArticleFormat): string[] {
  if (format === 'text') return [];
  const pattern = format === 'html' ? HTML_HREF : MARKDOWN_TARGET;
  const out = new Set<string>();
  for (const m of body.matchAll(pattern)) {
    out.add(m[1]!.replaceAll('&amp;', '&'));
    if (out.size >= MAX_ARTICLE_LINKS) break;
  }
  return [...out];
}
