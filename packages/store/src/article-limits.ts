import { AppError } from '@repo/domain';

/**
 * How large an article may be, wherever it comes from (the admin's editor and uploads, file imports,
 * an HDE knowledge-base sync). A body of megabytes would be one block of work on the loop of every
 * process that indexes the knowledge base; real help articles are a few thousand characters.
 */
export const ARTICLE_LIMITS = { titleChars: 500, bodyChars: 200_000, tags: 50, tagChars: 100 } as const;

/** An article over {@link ARTICLE_LIMITS}: never retryable, the article must be shortened. */
export class ArticleTooLargeError extends AppError<'kb_article_too_large'> {
  constructor(what: string) {
    super('kb_article_too_large', what, { retryable: false });
    this.name = 'ArticleTooLargeError';
  }
}

/** Throws {@link ArticleTooLargeError} naming the first part of an article over its limit. */
export function checkArticleSize(article: { title: string; body: string; tags?: readonly string[] | undefined }): void {
  const { titleChars, bodyChars, tags, tagChars } = ARTICLE_LIMITS;
  if (article.title.length > titleChars) throw new ArticleTooLargeError(`title is longer than ${titleChars} characters`);
  if (article.body.length > bodyChars) throw new ArticleTooLargeError(`body is longer than ${bodyChars} characters`);
  if ((article.tags?.length ?? 0) > tags) throw new ArticleTooLargeError(`more than ${tags} tags`);
  if (article.tags?.some((t) => t.length > tagChars)) throw new ArticleTooLargeError(`a tag is longer than ${tagChars} characters`);
}
