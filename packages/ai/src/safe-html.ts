import escapeHtml from 'escape-html';

/**
 * Plain text as safe HTML for HDE: everything escaped, blank lines become paragraphs and single line
 * breaks `<br>`. The only tags in the result are the ones added here.
 */
export function textToHtmlParagraphs(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map(
      (p) =>
        `<p>${p
          .split('\n')
          .map((line) => escapeHtml(line.trim()))
          .join('<br>')}</p>`,
    )
    .join('');
}

/** One escaped paragraph. */
export function paragraph(text: string): string {
  return `<p>${escapeHtml(text)}</p>`;
}
