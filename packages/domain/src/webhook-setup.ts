import { trimTrailingSlashes } from './trailing-slashes';

/**
 * The body to paste into the HDE dispatcher rule's «Отправить вебхук» action: HDE expands the tags,
 * and the field names are those the intake reads. It keeps every field of the original guide's body
 * and adds `post_id` (`{last_post_id}`), HDE's stable post id, which makes a post's event id
 * independent of its text and date. Shown by the CLI's setup and the
 * admin app's setup flow, so both give the same instructions.
 */
export const WEBHOOK_BODY_TEMPLATE = `{ "message": "{answer_last}", "message_author_id": "{last_post_user_id}", "customer_id": "{user_id}",
  "ticket_id": "{ticket_id}", "status_id": "{status_id}", "user_name": "{user_name}",
  "last_answer_date": "{last_post_date}", "last_customer_message_date": "{last_client_post_date}",
  "chat_id": "{meta_chat_id}", "post_id": "{last_post_id}" }`;

/**
 * Fields of {@link WEBHOOK_BODY_TEMPLATE} whose tags no public HDE integration shows
 * (`{meta_chat_id}`, `{last_client_post_date}`): an account may not know them and send them as
 * written, and nothing is decided from them, so the connection check does not ask to fix them.
 */
export const OPTIONAL_WEBHOOK_FIELDS: ReadonlySet<string> = new Set(['chat_id', 'last_customer_message_date']);

/** The webhook URL of a token, under the ingress's public address. */
export function webhookUrl(publicBaseUrl: string, token: string): string {
  return `${trimTrailingSlashes(publicBaseUrl)}/api/bots/helpdeskeddy_bot/webhook/${token}`;
}
