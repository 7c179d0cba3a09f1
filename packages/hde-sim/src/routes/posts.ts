import { badRequest } from '../api-error';
import { pageNumber, paginate } from '../pagination';
import { optionalInt, optionalString } from '../request-values';
import { POST_SIGNATURE_HTML, statusAfterReply } from '../variant';
import { pathId } from './ids';
import { ok, type ApiContext, type RouteDef } from './route-types';

function authorAndText(ctx: ApiContext): { userId: number; text: string } {
  const text = optionalString(ctx.body.text, 'text');
  if (!text?.trim()) throw badRequest('text is required');
  const requested = optionalInt(ctx.body.user_id, 'user_id');
  const honoured = ctx.account.settings.variant.postAuthor === 'user_id';
  return { userId: honoured && requested !== undefined ? requested : ctx.user.id, text };
}

/** A ticket's posts or comments in the account's list order (stored oldest first). */
function listed<T>(ctx: Pick<ApiContext, 'account'>, oldestFirst: readonly T[]): T[] {
  return ctx.account.settings.variant.listOrder === 'oldest_first' ? [...oldestFirst] : [...oldestFirst].reverse();
}

/** `/tickets/{id}/posts/` (public replies) and `/tickets/{id}/comments/` (internal notes). */
export const postRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: '/tickets/:id/posts',
    handler: ({ account, params, query }) => {
      const page = paginate(listed({ account }, account.tickets.postsOf(pathId(params.id, 'Ticket'))), pageNumber(query.page));
      return ok(
        page.items.map((p) => account.serializer.post(p)),
        page.pagination,
      );
    },
  },
  {
    method: 'POST',
    path: '/tickets/:id/posts',
    handler: (ctx) => {
      const { userId, text } = authorAndText(ctx);
      // On a closed ticket: refused (400), reopened or accepted, as the account's variant says.
      const variant = ctx.account.settings.variant;
      const onClosed = variant.closedTicketPost === 'refuse' ? 'reject' : variant.closedTicketPost === 'reopen' ? 'reopen' : 'allow';
      const stored = variant.postText === 'signature' ? `${text}${POST_SIGNATURE_HTML}` : text;
      const post = ctx.account.tickets.addPost(pathId(ctx.params.id, 'Ticket'), userId, stored, {
        onClosed,
        openTo: statusAfterReply(variant, ctx.account.directory.requireUser(userId).role !== 'customer'),
        via: 'api',
      });
      return ok(ctx.account.serializer.post(post));
    },
  },
  {
    method: 'GET',
    path: '/tickets/:id/comments',
    handler: ({ account, params, query }) => {
      const page = paginate(listed({ account }, account.tickets.commentsOf(pathId(params.id, 'Ticket'))), pageNumber(query.page));
      return ok(
        page.items.map((c) => account.serializer.comment(c)),
        page.pagination,
      );
    },
  },
  {
    method: 'POST',
    path: '/tickets/:id/comments',
    handler: (ctx) => {
      const { userId, text } = authorAndText(ctx);
      const comment = ctx.account.tickets.addComment(pathId(ctx.params.id, 'Ticket'), userId, text);
      return ok(ctx.account.serializer.comment(comment));
    },
  },
];
