import { createHash } from 'node:crypto';

/**
 * The event id of a webhook: a hash of what identifies one customer message, so the same message
 * delivered twice (or found by the sweep) gets the same id. Prefixed with a letter because BullMQ
 * job ids must not be all digits and must not contain `:`.
 */
export function eventIdOf(parts: {
  integrationId: string;
  ticketId: number | string;
  authorId?: number | string;
  lastAnswerDate?: string;
  message?: string;
}): string {
  const hash = createHash('sha256')
    .update(
      [parts.integrationId, String(parts.ticketId), String(parts.authorId ?? ''), parts.lastAnswerDate ?? '', parts.message ?? ''].join(
        '\u0000',
      ),
    )
    .digest('hex');
  return `e${hash.slice(0, 40)}`;
}

/**
 * The event id of a post whose HDE post id is known (`{last_post_id}` on the webhook, `posts[].id`
 * on the sweep): one id per post whatever its text, so both paths agree and a repeated short text
 * is a second message.
 */
export function postEventIdOf(parts: { integrationId: string; ticketId: number; postId: number }): string {
  const hash = createHash('sha256')
    .update(['post', parts.integrationId, String(parts.ticketId), String(parts.postId)].join('\u0000'))
    .digest('hex');
  return `e${hash.slice(0, 40)}`;
}
