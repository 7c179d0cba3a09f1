/** Body formats of the dispatcher's «Отправить вебхук» action that the simulator supports. */
export type DispatchFormat = 'json' | 'form';

/**
 * A body template: key → text with `{tags}`, or a nested object of such (rules written for other
 * bots send e.g. `"message": {"text": "{answer_last}"}`). Form bodies flatten nesting as `a[b]`.
 */
export type DispatchTemplate = { readonly [key: string]: string | DispatchTemplate };

/**
 * The template the product's setup guide tells users to paste: the seed guide's body plus the post
 * id. A rule pasted from the seed's guide alone (no `post_id`) is {@link SEED_DISPATCH_TEMPLATE}.
 */
export const DEFAULT_DISPATCH_TEMPLATE: Readonly<Record<string, string>> = {
  message: '{answer_last}',
  post_id: '{last_post_id}',
  message_author_id: '{last_post_user_id}',
  customer_id: '{user_id}',
  ticket_id: '{ticket_id}',
  status_id: '{status_id}',
  user_name: '{user_name}',
  last_answer_date: '{last_post_date}',
  last_customer_message_date: '{last_client_post_date}',
  chat_id: '{meta_chat_id}',
};

/** The seed guide's body, without the post id: what companies that followed the older guide run. */
export const SEED_DISPATCH_TEMPLATE: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(DEFAULT_DISPATCH_TEMPLATE).filter(([key]) => key !== 'post_id'),
);

const TAG = /\{([a-z0-9_]+)\}/gi;

/** Substitutes `{tag}`s; a tag without a value stays as written, as HDE leaves unknown tags. */
export function expandTags(text: string, tags: Readonly<Record<string, string>>): string {
  return text.replace(TAG, (whole, name: string) => tags[name] ?? whole);
}

/** A rendered webhook request body. */
export type RenderedBody = { contentType: string; body: string };

/** How tag values are rendered besides the format. */
export type RenderOptions = {
  /** Tags left as written (`{meta_chat_id}`), as an account where the tag is unknown would. */
  unexpandedTags?: readonly string[];
  /** HTML-escape the message tags (`&lt;p&gt;`), as a rule that renders them as display text would. */
  htmlEntities?: boolean;
};

const MESSAGE_TAGS = new Set(['answer_last', 'answer_last_without_html']);
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

function effectiveTags(tags: Readonly<Record<string, string>>, options: RenderOptions): Record<string, string> {
  const out: Record<string, string> = { ...tags };
  for (const name of options.unexpandedTags ?? []) delete out[name];
  if (options.htmlEntities) {
    for (const name of MESSAGE_TAGS) {
      const value = out[name];
      if (value !== undefined) out[name] = value.replace(/[&<>"]/g, (c) => ENTITIES[c] ?? c);
    }
  }
  return out;
}

function expandTemplate(template: DispatchTemplate, tags: Readonly<Record<string, string>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(template))
    out[key] = typeof value === 'string' ? expandTags(value, tags) : expandTemplate(value, tags);
  return out;
}

function appendForm(form: URLSearchParams, template: DispatchTemplate, tags: Readonly<Record<string, string>>, prefix: string): void {
  for (const [key, value] of Object.entries(template)) {
    const name = prefix ? `${prefix}[${key}]` : key;
    if (typeof value === 'string') form.append(name, expandTags(value, tags));
    else appendForm(form, value, tags, name);
  }
}

/**
 * Renders the dispatcher body. With `escapeJson: false` the tag values are pasted into the JSON
 * template text unescaped, like a template engine that knows nothing about JSON: quotes, backslashes
 * and newlines in `{answer_last}` then produce invalid JSON.
 */
export function renderDispatchBody(
  template: DispatchTemplate,
  rawTags: Readonly<Record<string, string>>,
  format: DispatchFormat,
  escapeJson: boolean,
  options: RenderOptions = {},
): RenderedBody {
  const tags = effectiveTags(rawTags, options);
  if (format === 'form') {
    const form = new URLSearchParams();
    appendForm(form, template, tags, '');
    return { contentType: 'application/x-www-form-urlencoded', body: form.toString() };
  }
  if (!escapeJson) {
    // The template text is JSON; only the tags are pasted in raw.
    return { contentType: 'application/json', body: expandTags(JSON.stringify(template, null, 2), tags) };
  }
  return { contentType: 'application/json', body: JSON.stringify(expandTemplate(template, tags)) };
}
