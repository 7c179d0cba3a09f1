import axios, { type AxiosInstance } from 'axios';
import { postChatCompletion, repliesExactly, type LlmFailure, type OpenAiChatOptions } from './openai-chat';
import { buildRequestReadingPrompt, NO_PERSON, PERSON_REQUESTED } from './prompt';

/** The model's reading of one message: does it ask for a person? Or why there is no reading. */
export type RequestReading = { ok: true; personRequested: boolean } | LlmFailure;

/** Reads customer messages for requests for a person with a chat model. */
export type LlmRequestReader = { read(message: string): Promise<RequestReading> };

/**
 * A second reader of operator requests over an OpenAI-compatible chat endpoint, for skills whose
 * answers are quoted from the knowledge base (in `llm` answer mode the answer prompt asks the same
 * question at no extra call). One short call per message the bot is about to answer; the message
 * is the only customer data sent. A reply other than the two tokens is `bad_response`, and every
 * failure leaves the decision to the offline detector.
 */
export function createOpenAiRequestReader(options: OpenAiChatOptions, http: AxiosInstance = axios.create()): LlmRequestReader {
  return {
    async read(message: string): Promise<RequestReading> {
      const completion = await postChatCompletion(
        { ...options, maxTokens: options.maxTokens ?? 5 },
        http,
        buildRequestReadingPrompt(message),
      );
      if (!completion.ok) return completion;
      if (repliesExactly(completion.text, PERSON_REQUESTED)) return { ok: true, personRequested: true };
      if (repliesExactly(completion.text, NO_PERSON)) return { ok: true, personRequested: false };
      return { ok: false, failure: 'bad_response', message: 'the request reader replied with neither token' };
    },
  };
}
