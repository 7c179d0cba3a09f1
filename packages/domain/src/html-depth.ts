/**
 * Deepest HTML element nesting read when HTML is turned into text (html-to-text's `limits.maxDepth`).
 * html-to-text walks the element tree recursively: about 2,250 nested tags (under 7 KB, well
 * inside a webhook) overflowed the stack, failing the sweep's job, a classify job or an admin page
 * on every try. Real posts and articles nest a dozen levels at most; deeper content is dropped.
 */
export const HTML_TEXT_MAX_DEPTH = 64;
