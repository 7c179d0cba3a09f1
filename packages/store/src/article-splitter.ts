import { existsSync } from 'node:fs';
import path from 'node:path';
import { Piscina } from 'piscina';
import { splitArticle, type ArticleFormat, type Passage } from './passages';
import type { SplitTask } from './passage-split-thread';

/** Options of {@link createArticleSplitter}. */
export type ArticleSplitterOptions = {
  /** Threads at most; default 1, so an import never takes more than one core from the process. */
  maxThreads?: number;
  /**
   * A body whose Markdown or HTML is not split within this long is split as plain text instead.
   * Ordinary articles take about half a millisecond per kilobyte; default 5 s.
   */
  timeoutMs?: number;
  /** Idle threads exit after this long; default 30 s. Idle threads never keep the process alive. */
  idleTimeoutMs?: number;
};

/** Passages of one article, and whether its body had to be read as plain text. */
export type SplitResult = { passages: Passage[]; plain: boolean };

/** {@link splitArticle} in a worker thread, with a time limit. */
export type ArticleSplitter = {
  split(body: string, format: ArticleFormat): Promise<SplitResult>;
  /** Stops the threads; later calls split on the caller's thread as plain text. */
  close(): Promise<void>;
};

/**
 * The compiled thread module. Jest runs the sources, but a worker thread can only load compiled
 * JavaScript, so from `src` the splitter loads the package's `dist` build (the test script builds first).
 */
function threadFile(): string {
  const compiled = __filename.endsWith('.ts')
    ? path.resolve(__dirname, '../dist/passage-split-thread.js')
    : path.join(__dirname, 'passage-split-thread.js');
  if (!existsSync(compiled)) throw new Error('Compiled article-splitter thread module missing: build @repo/store first');
  return compiled;
}

/** Plain text is split by blank lines, which is linear in the body. */
function plainSplit(body: string): SplitResult {
  return { passages: splitArticle(body, 'text'), plain: true };
}

/**
 * Splits article bodies on a {@link https://github.com/piscinajs/piscina piscina} thread. The
 * Markdown lexer is superlinear on some inline patterns (a 500-character paragraph of `_a*` takes
 * 10 ms, 4,000 characters 150 ms, fifty such paragraphs 7.6 s), and bodies come from remote
 * knowledge bases and uploads: on the caller's thread one article could hold up the worker's
 * event loop, which renews its BullMQ job locks, or every request of the admin app. A body whose
 * split fails or passes `timeoutMs` is kept as plain text, as an over-long Markdown block is.
 */
export function createArticleSplitter(options: ArticleSplitterOptions = {}): ArticleSplitter {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const pool = new Piscina({
    filename: threadFile(),
    minThreads: 0,
    maxThreads: options.maxThreads ?? 1,
    idleTimeout: options.idleTimeoutMs ?? 30_000,
    // A body many megabytes long fails here rather than grow the process; it is then split as text.
    resourceLimits: { maxOldGenerationSizeMb: 256 },
  });
  let closed = false;
  return {
    async split(body, format) {
      if (format === 'text' || closed) return plainSplit(body);
      const task: SplitTask = { body, format };
      try {
        const passages = (await pool.run(task, { signal: AbortSignal.timeout(timeoutMs) })) as Passage[];
        return { passages, plain: false };
      } catch {
        // A timeout, a thread that ran out of memory or a lexer error: all are the body's doing, and
        // a plain-text split keeps the article searchable.
        return plainSplit(body);
      }
    },
    async close() {
      closed = true;
      await pool.destroy();
    },
  };
}

let shared: ArticleSplitter | undefined;

/**
 * {@link ArticleSplitter.split} on the process's shared splitter, created on first use with the
 * defaults of {@link createArticleSplitter}. Its idle threads do not keep the process alive.
 */
export function splitArticleOffThread(body: string, format: ArticleFormat): Promise<SplitResult> {
  shared ??= createArticleSplitter();
  return shared.split(body, format);
}
