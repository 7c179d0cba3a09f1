import type { HdeTicket } from './hde-types';

const ORDER = /^(date_created|date_updated)\{(asc|desc)\}/;

/**
 * HDE keys list tickets by id in its requested order, but JSON.parse puts integer keys in
 * ascending order, so that order is lost. This restores it for the date orders (the first key of
 * `order_by`; HDE's default is `date_created{desc}`), ties broken by id.
 */
export function sortTicketsAsListed(tickets: HdeTicket[], orderBy = 'date_created{desc}'): HdeTicket[] {
  const m = ORDER.exec(orderBy.trim());
  if (!m) return tickets;
  const key = m[1] === 'date_updated' ? 'dateUpdated' : 'dateCreated';
  const sign = m[2] === 'asc' ? 1 : -1;
  return [...tickets].sort((a, b) => {
    const diff = (a[key]?.getTime() ?? 0) - (b[key]?.getTime() ?? 0);
    return sign * (diff !== 0 ? diff : a.id - b.id);
  });
}
