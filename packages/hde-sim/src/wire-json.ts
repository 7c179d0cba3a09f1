// HDE is a PHP application. Three PHP json_encode habits are reproduced:
// - an id-keyed `data` object keeps its insertion order (a JS object would sort integer keys, so it
//   is built as a Map and serialised here);
// - an empty PHP array is `[]`, even where a non-empty one is an id-keyed object;
// - non-ASCII characters are escaped as \uXXXX and "/" as "\/" (visible in the TicketsGet sample),
//   which also keeps bodies pure ASCII.

/** An id-keyed list as HDE returns it: an ordered object, or `[]` when empty. */
export type KeyedList<T> = ReadonlyMap<string, T> | [];

/** Turns a list into HDE's id-keyed `data` object, keeping the list's order. */
export function keyById<T extends { id: number | string }>(items: readonly T[]): KeyedList<T> {
  if (items.length === 0) return [];
  return new Map(items.map((item) => [String(item.id), item]));
}

function escapeString(text: string): string {
  return JSON.stringify(text)
    .replace(/\//g, '\\/')
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function encodeEntries(entries: Iterable<[string, unknown]>): string {
  const parts: string[] = [];
  for (const [key, value] of entries) {
    if (value === undefined) continue;
    parts.push(`${escapeString(key)}:${encodeWireJson(value)}`);
  }
  return `{${parts.join(',')}}`;
}

/** Serialises a value the way HDE's PHP backend does (see the notes above). */
export function encodeWireJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return escapeString(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map((v) => encodeWireJson(v)).join(',')}]`;
  if (value instanceof Map) return encodeEntries(value as Map<string, unknown>);
  return encodeEntries(Object.entries(value as Record<string, unknown>));
}
