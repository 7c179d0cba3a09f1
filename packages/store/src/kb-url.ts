import { AppError } from '@repo/domain';

/**
 * Whether a KB article's link is safe to show and to send to customers: an absolute http(s)
 * address. `javascript:`, `data:`, `vbscript:` and the like would run in an admin's or a
 * customer's browser when clicked.
 */
export function isSafeKbUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return false;
  }
  return parsed.protocol === 'http:' || parsed.protocol === 'https:';
}

/** The article's link checked by {@link isSafeKbUrl}; throws a non-retryable error naming the field. */
export function checkedKbUrl(url: string | null | undefined): string | null {
  if (url === null || url === undefined || url.trim() === '') return null;
  if (!isSafeKbUrl(url)) throw new AppError('kb_invalid_url', 'url must be an http or https address', { retryable: false });
  return url.trim();
}
