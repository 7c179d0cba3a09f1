/**
 * The integration form's KB sync, ticket-read and request-limit fields as the settings service's
 * input. A section the form did not post stays as it is, so a client posting only the older fields
 * switches nothing off. Text that is not a number becomes NaN, which the service refuses beside its
 * field (a form has no other way to say "not a number").
 */
export function syncAndBudgetFromForm(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // The category ids input is always posted by the form; the checkboxes beside it are not when unticked.
  if (body.kbSyncCategoryIds !== undefined) {
    out.kbSyncEnabled = body.kbSyncEnabled === '1';
    out.kbSyncCategoryIds = String(body.kbSyncCategoryIds)
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean)
      .map((x) => (/^-?\d{1,12}$/.test(x) ? Number(x) : NaN));
    const access = body.kbSyncAccess;
    out.kbSyncAccess = (Array.isArray(access) ? access : access === undefined ? [] : [access]).map(String);
  }
  if (body.ticketRead === 'always') out.staleAfterMs = 0;
  else if (body.ticketRead === 'trust') out.staleAfterMs = wholeNumber(body.trustSeconds) * 1000;
  if (body.rateLimitPerMinute !== undefined) out.rateLimitPerMinute = wholeNumber(body.rateLimitPerMinute);
  return out;
}

function wholeNumber(value: unknown): number {
  const s = String(value ?? '').trim();
  return /^\d{1,9}$/.test(s) ? Number(s) : NaN;
}
