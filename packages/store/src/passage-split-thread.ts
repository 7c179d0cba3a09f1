import { splitArticle, type ArticleFormat, type Passage } from './passages';

/** What a {@link createArticleSplitter} thread is given: one article body and its format. */
export type SplitTask = { body: string; format: ArticleFormat };

/**
 * The task an article-splitter thread runs: {@link splitArticle} on a structured-cloned body.
 * Loaded by file name inside a worker thread, hence the default export.
 */
export default function splitTask(task: SplitTask): Passage[] {
  return splitArticle(task.body, task.format);
}
