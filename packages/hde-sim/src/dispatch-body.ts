/** Body formats of the dispatcher's «Отправить вебхук» action that the simulator supports. */
export type DispatchFormat = 'json' | 'form';

/** The template the product's setup guide tells users to paste (DESIGN.md §1). */
export const DEFAULT_DISPATCH_TEMPLATE: Readonly<Record<string, string>> = {
  message: '{answer_last}',
  message_author_id: '{last_post_user_id}',
  customer_id: '{user_id}',
  ticket_id: '{ticket_id}',
  status_id: '{status_id}',
  user_name: '{user_name}',
  last_answer_date: '{last_post_date}',
  last_customer_message_date: '{last_client_post_date}',
  chat_id: '{meta_chat_id}',
};

const TAG = /\{([a-z0-9_]+)\}/gi;

/** Substitutes `{tag}`s; a tag without a value stays as written, as HDE leaves unknown tags. */
export function expandTags(text: string, tags: Readonly<Record<string, string>>): string {
  return text.replace(TAG, (whole, name: string) => tags[name] ?? whole);
}

/** A rendered webhook request body. */
export type RenderedBody = { contentType: string; body: string };

/**
 * Renders the dispatcher body. With `escapeJson: false` the tag values are pasted into the JSON
 * template text unescaped, like a template engine that knows nothing about JSON: quotes, backslashes
 * and newlines in `{answer_last}` then produce invalid JSON.
 */
export function renderDispatchBody(
  template: Readonly<Record<string, string>>,
  tags: Readonly<Record<string, string>>,
  format: DispatchFormat,
  escapeJson: boolean,
): RenderedBody {
  if (format === 'form') {
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(template)) form.append(key, expandTags(value, tags));
    return { contentType: 'application/x-www-form-urlencoded', body: form.toString() };
  }
  if (!escapeJson) {
    const lines = Object.entries(template).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
    return { contentType: 'application/json', body: expandTags(`{\n${lines.join(',\n')}\n}`, tags) };
  }
  const expanded: Record<string, string> = {};
  for (const [key, value] of Object.entries(template)) expanded[key] = expandTags(value, tags);
  return { contentType: 'application/json', body: JSON.stringify(expanded) };
}
