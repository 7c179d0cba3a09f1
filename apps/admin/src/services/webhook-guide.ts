/** The ticket's page in HDE. */
export function hdeTicketUrl(hdeBaseUrl: string, ticketId: number): string {
  return `${hdeBaseUrl.replace(/\/+$/, '')}/ru/ticket/list/filter/id/1/ticket/${ticketId}`;
}
