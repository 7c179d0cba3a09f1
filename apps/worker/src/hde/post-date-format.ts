/** Formats an instant the way HDE writes post dates (`HH:MM:SS DD.MM.YYYY`, account local time). */
export function formatPostDate(date: Date, tzOffsetMinutes: number): string {
  const local = new Date(date.getTime() + tzOffsetMinutes * 60_000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(local.getUTCHours())}:${two(local.getUTCMinutes())}:${two(local.getUTCSeconds())} ${two(local.getUTCDate())}.${two(local.getUTCMonth() + 1)}.${local.getUTCFullYear()}`;
}
