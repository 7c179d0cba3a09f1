import { trimTrailingSlashes } from './trailing-slashes';

/** Longest HDE domain or URL read as an account address; a longer value is a mistake or an attack. */
export const MAX_HDE_ADDRESS_CHARS = 2_000;

/**
 * Turns what people type or paste as their HDE account into its base URL, or undefined when it is
 * no http(s) address: `acme.helpdeskeddy.com`, `https://acme.helpdeskeddy.com/ru/ticket/list/…` and
 * the API's own `https://acme.helpdeskeddy.com/api/v2/` all give `https://acme.helpdeskeddy.com`. A
 * value without a scheme is read as https. The admin app's setup and the CLI's both read it so.
 */
export function hdeAccountUrl(typed: string): string | undefined {
  const trimmed = typed.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_HDE_ADDRESS_CHARS) return undefined;
  // Another scheme (`ftp://…`) is refused, not read as a host named after it.
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return undefined;
  }
  if (!/^https?:$/.test(url.protocol) || !url.hostname) return undefined;
  // A pasted ticket or admin page URL: keep the account root (the simulator's accounts live under /a/<slug>).
  const path = trimTrailingSlashes(url.pathname.replace(/\/(ru|en|ua)(\/.*)?$/, '').replace(/\/api\/v2.*$/, ''));
  return `${url.protocol}//${url.host}${path}`;
}
