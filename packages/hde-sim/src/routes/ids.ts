import { notFound } from '../api-error';

/** Reads a numeric path id; anything else is an unknown entity (404), as a route miss would be. */
export function pathId(value: string | undefined, what: string): number {
  const n = Number(value);
  if (!value || !Number.isInteger(n)) throw notFound(`${what} with id {${value ?? ''}} not found`);
  return n;
}
