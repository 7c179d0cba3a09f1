import type { HdeZone } from '../time-zone';
import { z } from 'zod';
import type { HdeComment, HdePost } from '../hde-types';
import { dateField, files, refId, requiredId, text } from './common';

/** Builds the post (public reply) schema for an account timezone. */
export function postSchema(tz: HdeZone): z.ZodType<HdePost> {
  const date = dateField(tz);
  return z
    .object({ id: requiredId, ticket_id: refId, user_id: refId, text, date_created: date, date_updated: date, files })
    .transform((r): HdePost => ({
      id: r.id,
      ticketId: r.ticket_id,
      userId: r.user_id,
      text: r.text,
      dateCreated: r.date_created,
      dateUpdated: r.date_updated,
      files: r.files,
    }));
}

/** Builds the comment (internal note) schema for an account timezone. */
export function commentSchema(tz: HdeZone): z.ZodType<HdeComment> {
  const date = dateField(tz);
  return z
    .object({
      id: requiredId,
      ticket_id: refId,
      user_id: refId,
      text,
      date_created: date,
      date_updated: date,
      visible: text,
      files,
    })
    .transform((r): HdeComment => ({
      id: r.id,
      ticketId: r.ticket_id,
      userId: r.user_id,
      text: r.text,
      dateCreated: r.date_created,
      // Comments may carry no date_updated; HDE's create sample has only date_created.
      dateUpdated: r.date_updated ?? r.date_created,
      visible: r.visible,
      files: r.files,
    }));
}
