import type { ServerResponse } from 'node:http';

/** An HTTP answer with a JSON body already serialised, so constant answers are built once. */
export type JsonAnswer = {
  status: number;
  /** The body, JSON text. */
  json: string;
  /** Extra headers as `[name, value, name, value, …]` (lower-case names). */
  headers?: readonly string[];
};

/** The content type of every JSON answer (the same as express's `res.json`). */
const JSON_TYPE = 'application/json; charset=utf-8';

/** Builds a {@link JsonAnswer} from a value (for answers that vary per request). */
export function jsonAnswer(status: number, body: unknown, headers?: readonly string[]): JsonAnswer {
  return { status, json: JSON.stringify(body), headers };
}

/**
 * Writes a JSON answer. Headers go to `writeHead` as one flat array: node:http then skips the
 * per-header object bookkeeping of `setHeader`.
 */
export function sendJson(res: ServerResponse, answer: JsonAnswer): void {
  sendText(res, answer.status, answer.json, JSON_TYPE, answer.headers);
}

/** Writes a text answer of any content type (see {@link sendJson}). */
export function sendText(res: ServerResponse, status: number, text: string, contentType: string, headers?: readonly string[]): void {
  const head = ['content-type', contentType, 'content-length', String(Buffer.byteLength(text))];
  if (headers) head.push(...headers);
  res.writeHead(status, head);
  res.end(text);
}
