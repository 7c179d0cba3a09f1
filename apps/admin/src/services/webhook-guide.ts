import { trimTrailingSlashes } from '@repo/domain';

/** The ticket's page in HDE. */
export function hdeTicketUrl(hdeBaseUrl: string, ticketId: number): string {
  return `${trimTrailingSlashes(hdeBaseUrl)}/ru/ticket/list/filter/id/1/ticket/${ticketId}`;
}
