/**
 * Thrown by a handler to put its job back to sleep until `until` (epoch ms) without failing it and
 * without using an attempt: how a paused HDE account (429, ban, budget spent) waits.
 */
export class JobDelay extends Error {
  readonly until: number;
  readonly reason: string;

  constructor(until: number, reason: string) {
    super(`Job delayed: ${reason}`);
    this.name = 'JobDelay';
    this.until = until;
    this.reason = reason;
  }
}
