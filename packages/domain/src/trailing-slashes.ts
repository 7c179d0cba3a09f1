/**
 * `value` without the slashes it ends with. A loop, not `/\/+$/`: a regex engine tries that pattern
 * at every slash of a long run and rescans the run from each, quadratic in a value an admin typed
 * (64 KB of slashes in the HDE domain field held the admin app's event loop for seconds).
 */
export function trimTrailingSlashes(value: string): string {
  let end = value.length;
  while (end > 0 && value.charCodeAt(end - 1) === 0x2f) end -= 1;
  return end === value.length ? value : value.slice(0, end);
}
