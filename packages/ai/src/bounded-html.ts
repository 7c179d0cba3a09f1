import { Tokenizer, type TokenizerCallbacks } from 'htmlparser2';

/**
 * Limits of {@link boundHtml}. HTML nested deeper than `maxDepth` is flattened (its text kept), and
 * reading stops once `maxTextChars` characters of text or `maxOutputChars` characters of output
 * have been produced, so what follows gets a small, shallow document whatever the input.
 */
export type BoundHtmlLimits = { maxDepth: number; maxTextChars: number; maxOutputChars: number };

/**
 * Defaults: a real e-mail nests a few dozen elements at most (tables in tables), while the
 * tree walker of `html-to-text` recurses once per level and overflows the stack at ~20,000
 * levels; 32,768 characters of text is eight times what {@link classify} reads.
 */
export const DEFAULT_HTML_LIMITS: BoundHtmlLimits = { maxDepth: 32, maxTextChars: 32_768, maxOutputChars: 131_072 };

/** Elements without content or end tag. */
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
/** Elements whose content is not the customer's text this time: quoted mail, scripts, styles. */
const SKIPPED = new Set(['blockquote', 'script', 'style', 'head', 'title', 'template', 'noscript']);
/** Elements that a new sibling of the same kind closes implicitly (`<p>a<p>b`, `<li>a<li>b`). */
const SELF_CLOSING_SIBLING = new Set(['p', 'li', 'dt', 'dd', 'tr', 'td', 'th', 'option']);
/** Block elements: when flattened away, a line break keeps their text apart. */
const BLOCK = new Set([
  'address',
  'article',
  'aside',
  'dd',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'td',
  'th',
  'tr',
  'ul',
]);
/**
 * Reply containers, recognised by `class` or `id` whatever the language of their header: mail
 * clients put the quoted earlier message inside them, so their content is dropped like a
 * blockquote's. Gmail `gmail_quote` (header and quote), Yahoo `yahoo_quoted` (the class comes
 * prefixed, `ydp…yahoo_quoted`, hence a substring), Thunderbird's header `moz-cite-prefix`, Outlook
 * for Mac `OLK_SRC_BODY_SECTION`, Proton `protonmail_quote`.
 */
const QUOTE_CONTAINER = /gmail_quote|yahoo_quoted|moz-cite-prefix|protonmail_quote|olk_src_body_section/i;
/**
 * Outlook's markers after which everything is the quoted message (the header and the old body are
 * siblings of the marker, not its children): OWA / Outlook 365 put an empty `appendonsend` and a
 * `divRplyFwdMsg` header (`x_`-prefixed when the mail was passed on), new Outlook a
 * `mail-editor-reference-message-container`. Reading stops there.
 */
const QUOTE_DIVIDER = /divrplyfwdmsg|appendonsend|mail-editor-reference-message-container/i;
/** At most this much of a `class` or `id` value is read: real values are short, and the work stays bounded. */
const MAX_ATTRIBUTE_CHARS = 256;

/**
 * How far down the open-element stack an end tag or an implicitly closed sibling is looked for.
 * Browsers search the whole stack; a bounded look keeps stray end tags (`</i>` × 20,000 under
 * 20,000 open `<b>`) linear, at the price of leaving a misnested element open a little longer.
 */
const LOOKBACK = 8;

type Open = { name: string; emitted: boolean };

/**
 * Rewrites HTML into an equivalent shallow, bounded HTML: in one linear pass of htmlparser2's
 * tokenizer (no tree is built) it keeps elements up to `maxDepth` levels deep without their
 * attributes, replaces deeper block elements by `<br>` and drops deeper inline ones (their text
 * stays), drops comments, images and the content of quotes (`<blockquote>` and the reply containers
 * of {@link QUOTE_CONTAINER}), scripts and styles, and stops after `maxTextChars` of text or at an
 * Outlook reply marker ({@link QUOTE_DIVIDER}). Entities in text pass through for the converter to
 * decode; a `<` or `>` that the tokenizer read as text is escaped so it cannot open a tag later.
 */
export function boundHtml(html: string, limits: BoundHtmlLimits = DEFAULT_HTML_LIMITS): string {
  const out: string[] = [];
  let outChars = 0;
  let textChars = 0;
  let full = false;
  const stack: Open[] = [];
  /** Stack length at which a skipped element opened; 0 while nothing is skipped. */
  let skipFrom = 0;
  let tagName = '';
  let tagIsClose = false;
  /** What the attributes of the tag being read say about a quote. */
  let tagQuote: 'container' | 'divider' | undefined;
  let attributeName = '';
  let attributeValue = '';

  const emit = (s: string): void => {
    if (full) return;
    out.push(s);
    outChars += s.length;
    if (outChars >= limits.maxOutputChars) full = true;
  };
  const popTo = (index: number): void => {
    while (stack.length > index) {
      const top = stack.pop() as Open;
      if (top.emitted) emit(`</${top.name}>`);
      if (skipFrom > 0 && stack.length < skipFrom) skipFrom = 0;
    }
  };
  /** Index of the nearest open element of this name within the look-back, or -1. */
  const findOpen = (name: string): number => {
    for (let i = stack.length - 1, seen = 0; i >= 0 && seen < LOOKBACK; i--, seen++) {
      if ((stack[i] as Open).name === name) return i;
    }
    return -1;
  };

  const openTag = (name: string, quote?: 'container' | 'divider'): void => {
    // Everything from here on is the quoted message; `full` stops text and tags alike.
    if (quote === 'divider' && skipFrom === 0) full = true;
    if (VOID.has(name)) {
      if (skipFrom === 0 && (name === 'br' || name === 'hr')) emit(`<${name}>`);
      return;
    }
    if (SELF_CLOSING_SIBLING.has(name)) {
      const sibling = findOpen(name);
      if (sibling >= 0) popTo(sibling);
    }
    const depthOk = stack.length < limits.maxDepth;
    const skipped = SKIPPED.has(name) || quote === 'container';
    const emitted = skipFrom === 0 && depthOk && !skipped;
    if (emitted) emit(`<${name}>`);
    else if (skipFrom === 0 && !depthOk && BLOCK.has(name)) emit('<br>');
    stack.push({ name, emitted });
    if (skipFrom === 0 && skipped) skipFrom = stack.length;
  };
  const closeTag = (name: string): void => {
    if (name === 'br' && skipFrom === 0) emit('<br>');
    const at = findOpen(name);
    if (at >= 0) popTo(at);
  };

  const callbacks: TokenizerCallbacks = {
    // Only `class` and `id` are read, and only their first MAX_ATTRIBUTE_CHARS characters.
    onattribname(start, end) {
      attributeName = end - start <= 5 ? html.slice(start, end).toLowerCase() : '';
      attributeValue = '';
    },
    onattribdata(start, end) {
      if (attributeName !== 'class' && attributeName !== 'id') return;
      const room = MAX_ATTRIBUTE_CHARS - attributeValue.length;
      if (room > 0) attributeValue += html.slice(start, Math.min(end, start + room));
    },
    onattribentity() {},
    onattribend() {
      if (attributeValue) {
        if (QUOTE_DIVIDER.test(attributeValue)) tagQuote = 'divider';
        else if (tagQuote === undefined && QUOTE_CONTAINER.test(attributeValue)) tagQuote = 'container';
      }
      attributeName = '';
      attributeValue = '';
    },
    oncdata() {},
    oncomment() {},
    ondeclaration() {},
    onprocessinginstruction() {},
    onend() {},
    onopentagname(start, end) {
      tagName = html.slice(start, end).toLowerCase();
      tagIsClose = false;
      tagQuote = undefined;
    },
    onopentagend() {
      if (!tagIsClose && tagName) openTag(tagName, tagQuote);
      tagName = '';
    },
    onselfclosingtag() {
      if (tagName) {
        openTag(tagName, tagQuote);
        if (!VOID.has(tagName)) closeTag(tagName);
      }
      tagName = '';
    },
    onclosetag(start, end) {
      tagIsClose = true;
      closeTag(html.slice(start, end).toLowerCase());
    },
    ontext(start, end) {
      if (skipFrom > 0 || full) return;
      const room = limits.maxTextChars - textChars;
      if (room <= 0) {
        full = true;
        return;
      }
      const text = html.slice(start, Math.min(end, start + room));
      textChars += text.length;
      emit(text.replace(/</g, '&lt;').replace(/>/g, '&gt;'));
    },
    ontextentity() {},
  };
  const tokenizer = new Tokenizer({ decodeEntities: false }, callbacks);
  tokenizer.write(html);
  tokenizer.end();
  full = false;
  popTo(0);
  return out.join('');
}
