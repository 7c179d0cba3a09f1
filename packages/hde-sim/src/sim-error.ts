/** Why a control call failed; the control HTTP API maps it to 404, 400 or 409. */
export type HdeSimErrorCode = 'NOT_FOUND' | 'INVALID' | 'CONFLICT';

/** Thrown by the simulator's control functions (unknown account, unknown user, bad option…). */
export class HdeSimError extends Error {
  readonly code: HdeSimErrorCode;

  constructor(code: HdeSimErrorCode, message: string) {
    super(message);
    this.name = 'HdeSimError';
    this.code = code;
  }
}
