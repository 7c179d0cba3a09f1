import axios, { type AxiosInstance } from 'axios';
import type { KbHit, Language, SkillSettings } from '@repo/domain';
import { decorateAnswer } from '../compose-extractive';
import { textToHtmlParagraphs } from '../safe-html';
import { checkGrounding, type UnsupportedSentence } from './grounding';
import { buildAnswerPrompt, NO_ANSWER, PERSON_REQUESTED, type DialogTurn } from './prompt';
import { sendRetryingStaleConnection } from './stale-connection-retry';
import { trimTrailingSlashes } from '@repo/domain';

/** Settings of an OpenAI-compatible chat-completions endpoint. */
export type OpenAiChatOptions = {
  /** e.g. `https://api.openai.com/v1`; `/chat/completions` is appended. */
  baseUrl: string;
  apiKey: string;
  model: string;
  timeoutMs: number;
  /** 0 by default: answers should quote, not invent. */
  temperature?: number;
  maxTokens?: number;
};

/** What to answer: the customer's message, the retrieved passages (numbered in this order) and context. */
export type LlmAnswerInput = {
  question: string;
  passages: KbHit[];
  dialog?: DialogTurn[];
  language: Language;
  /** When given, the answer is wrapped in the skill's greeting and sign-off. */
  skill?: Pick<SkillSettings, 'greeting' | 'signoff'>;
};

/** Why a generated answer cannot be used; the caller falls back to the extractive answer or a hand-off. */
export type LlmFailureKind =
  | 'timeout'
  | 'http_error'
  | 'network_error'
  | 'bad_response'
  | 'refusal'
  | 'no_citation'
  | 'ungrounded'
  | 'no_passages'
  /** Longer than any answer the prompt asks for ({@link MAX_ANSWER_CHARS}): not sent, not checked. */
  | 'too_long'
  /** The model read the message as asking for a person ({@link PERSON_REQUESTED}): hand off, do not answer. */
  | 'person_requested';

/** The outcome of one generation: a grounded, cited answer, or a typed failure. Never thrown. */
export type LlmAnswerResult =
  | {
      ok: true;
      /** Safe HTML for HDE. */
      html: string;
      /** The model's text, with its [n] markers. */
      text: string;
      /** Article ids of the cited passages. */
      citations: number[];
      /** The cited passage numbers, 1-based, as in the prompt. */
      citedPassages: number[];
    }
  | LlmFailure;

/** Answers customers' questions from retrieved passages with a chat model. */
export type LlmAnswerer = { answer(input: LlmAnswerInput): Promise<LlmAnswerResult> };

const REFUSAL =
  /(не могу ответить|не могу помочь|нет информации|не располагаю|не нашел|не нашёл|затрудняюсь|i (do not|don't) know|i cannot (help|answer)|i can't (help|answer)|as an ai|как (ии|языковая модель)|не можу відповісти|немає інформації)/i;

const NO_DECORATION: Pick<SkillSettings, 'greeting' | 'signoff'> = { greeting: { ru: '', en: '' }, signoff: { ru: '', en: '' } };

/** A call that produced nothing usable, and why. */
export type LlmFailure = {
  ok: false;
  failure: LlmFailureKind;
  /** A short description safe to log: never a header, key or prompt. */
  message: string;
  status?: number;
  unsupported?: UnsupportedSentence[];
};

function failure(kind: LlmFailureKind, message: string, extra: { status?: number; unsupported?: UnsupportedSentence[] } = {}): LlmFailure {
  return { ok: false, failure: kind, message, ...extra };
}

/** Classifies a request error without ever copying its config, headers or body into the result. */
function describeRequestError(err: unknown, timeoutMs: number): LlmFailure {
  if (axios.isAxiosError(err)) {
    if (err.response) return failure('http_error', `LLM endpoint answered HTTP ${err.response.status}`, { status: err.response.status });
    if (err.code === 'ECONNABORTED' || err.code === 'ETIMEDOUT' || err.code === 'ERR_CANCELED') {
      return failure('timeout', `LLM endpoint did not answer within ${timeoutMs} ms`);
    }
    return failure('network_error', `LLM endpoint unreachable (${err.code ?? 'unknown error'})`);
  }
  return failure('network_error', 'LLM request failed');
}

/** Strips markdown emphasis and headings a model may add despite the instructions. */
function stripMarkdown(text: string): string {
  return text
    .replace(/\*\*(.+?)\*\*/g, '$1')
    .replace(/__(.+?)__/g, '$1')
    .replace(/^#+\s*/gm, '')
    .trim();
}

/** Largest completion response read (bytes). */
const MAX_COMPLETION_BYTES = 1_048_576;

/**
 * Tokens an answer may use: the prompt asks for at most six sentences, which fit in a few hundred;
 * a model that runs on is stopped by the provider rather than read and grounding-checked at length.
 */
export const ANSWER_MAX_TOKENS = 800;

/** Longest generated answer used (characters): about twice what {@link ANSWER_MAX_TOKENS} allows. */
export const MAX_ANSWER_CHARS = 6_000;

/** The text of a chat completion, or why there is none. */
export type ChatCompletion = { ok: true; text: string } | LlmFailure;

/**
 * One `POST {baseUrl}/chat/completions` with the given messages (sent again once when a kept-alive
 * connection was reset as it went out, {@link sendRetryingStaleConnection}): the model's message text with
 * markdown emphasis stripped, or a typed failure (timeout, HTTP error, network error, no content).
 * The API key goes only into the Authorization header; nothing of the request reaches the result.
 */
export async function postChatCompletion(
  options: OpenAiChatOptions,
  http: AxiosInstance,
  messages: Array<{ role: 'system' | 'user' | 'assistant'; content: string }>,
): Promise<ChatCompletion> {
  const url = `${trimTrailingSlashes(options.baseUrl)}/chat/completions`;
  let content: unknown;
  try {
    const response = await sendRetryingStaleConnection((connection) =>
      http.post(
        url,
        {
          model: options.model,
          messages,
          temperature: options.temperature ?? 0,
          ...(options.maxTokens ? { max_tokens: options.maxTokens } : {}),
        },
        {
          timeout: options.timeoutMs,
          signal: AbortSignal.timeout(options.timeoutMs + 1000),
          // A completion is a few kilobytes; a provider sending megabytes is cut off, not parsed.
          maxContentLength: MAX_COMPLETION_BYTES,
          headers: { Authorization: `Bearer ${options.apiKey}`, 'Content-Type': 'application/json' },
          validateStatus: (st) => st >= 200 && st < 300,
          ...connection,
        },
      ),
    );
    const data = response.data as { choices?: Array<{ message?: { content?: unknown } }> } | undefined;
    content = data?.choices?.[0]?.message?.content;
  } catch (err) {
    return describeRequestError(err, options.timeoutMs);
  }
  if (typeof content !== 'string' || content.trim() === '') return failure('bad_response', 'LLM response had no message content');
  return { ok: true, text: stripMarkdown(content) };
}

/** True when the model's whole reply is `token` (punctuation, spaces and emphasis aside). */
export function repliesExactly(text: string, token: string): boolean {
  return text.replace(/[^\p{L}]/gu, '') === token;
}

/**
 * An answerer over an OpenAI-compatible `POST {baseUrl}/chat/completions` (axios). The prompt holds
 * only the retrieved passages, numbered, and the dialog; the model must cite passages as [n]. A
 * timeout, an HTTP error, an unusable body, a refusal, an answer without citations or one that fails
 * {@link checkGrounding} comes back as `{ ok: false, failure }` for the caller to fall back on; the
 * API key goes only into the request's Authorization header, never into results or messages.
 */
export function createOpenAiChatAnswerer(options: OpenAiChatOptions, http: AxiosInstance = axios.create()): LlmAnswerer {
  return {
    async answer(input: LlmAnswerInput): Promise<LlmAnswerResult> {
      const passages = input.passages.filter((p) => p.passage.trim() !== '');
      if (passages.length === 0) return failure('no_passages', 'no passages to answer from');
      const completion = await postChatCompletion(
        { ...options, maxTokens: options.maxTokens ?? ANSWER_MAX_TOKENS },
        http,
        buildAnswerPrompt({ ...input, passages }),
      );
      if (!completion.ok) return completion;
      const text = completion.text;
      if (text.length > MAX_ANSWER_CHARS) return failure('too_long', `the answer is longer than ${MAX_ANSWER_CHARS} characters`);
      // Only the bare token counts: an answer that happens to contain the word is still an answer.
      if (repliesExactly(text, PERSON_REQUESTED)) return failure('person_requested', 'the model read the message as asking for a person');
      if (text.includes(NO_ANSWER) || REFUSAL.test(text)) return failure('refusal', 'the model declined to answer from the passages');
      const grounding = checkGrounding(
        text,
        passages.map((p) => p.passage),
      );
      if (grounding.citedPassages.length === 0) return failure('no_citation', 'the answer cites no passage');
      if (!grounding.grounded) {
        return failure('ungrounded', `${grounding.unsupported.length} sentence(s) not supported by the cited passages`, {
          unsupported: grounding.unsupported,
        });
      }
      const cited = grounding.citedPassages.map((n) => passages[n - 1]).filter((p): p is KbHit => p !== undefined);
      const citations = [...new Set(cited.map((p) => p.articleId))];
      // One source per cited article, in the order first cited.
      const sources = [
        ...new Map(cited.map((p) => [p.articleId, { title: p.title.trim() || `#${p.articleId}`, url: p.sourceUrl }])).values(),
      ];
      const body = { html: textToHtmlParagraphs(text), text };
      const decorated = decorateAnswer(body, sources, input.language, input.skill ?? NO_DECORATION);
      return { ok: true, html: decorated.html, text: decorated.text, citations, citedPassages: grounding.citedPassages };
    },
  };
}
