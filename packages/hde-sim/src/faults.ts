import { HdeSimError } from './sim-error';

/** Kinds of injected failure (see the package README for exact behaviour). */
export type FaultKind = 'latency' | 'hang' | 'status' | 'reset_after_body' | 'trickle' | 'ban';

/** What to inject into matching API requests. */
export type FaultSpec = {
  /** HTTP method, case-insensitive; omitted or `*` matches any. */
  method?: string;
  /** Path under `/api/v2`, e.g. `/tickets/:id/posts/`; `:x` is one segment, a trailing `*` the rest. */
  path: string;
  kind: FaultKind;
  /** latency: delay; trickle: total send time; status 429: `Retry-After` (rounded up to seconds). */
  ms?: number;
  /** For `status`: the HTTP status to answer with (default 500). */
  status?: number;
  /** How many matching requests to affect; unlimited when omitted. */
  times?: number;
  /** Whether the request still takes effect: default false for `hang`/`status`, true otherwise. */
  commit?: boolean;
};

/** A fault as stored, with its resolved defaults. */
export type ActiveFault = Required<Omit<FaultSpec, 'times' | 'method'>> & {
  id: number;
  method: string;
  /** Matching requests still to affect; `null` = unlimited. */
  remaining: number | null;
};

const KINDS: readonly FaultKind[] = ['latency', 'hang', 'status', 'reset_after_body', 'trickle', 'ban'];

function segments(path: string): string[] {
  return path.split('?')[0]!.split('/').filter(Boolean);
}

/** Whether a request path matches a fault pattern; trailing slashes are ignored. */
export function matchPath(pattern: string, path: string): boolean {
  const want = segments(pattern);
  const got = segments(path);
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    if (w === '*' && i === want.length - 1) return true;
    const g = got[i];
    if (g === undefined) return false;
    if (!w.startsWith(':') && w !== g) return false;
  }
  return want.length === got.length;
}

/** The faults injected into one account, consulted once per API request. */
export class FaultTable {
  private faults: ActiveFault[] = [];
  private nextId = 1;
  private readonly hitsByKind: Partial<Record<FaultKind, number>> = {};

  /** Validates and stores a fault; the first matching fault wins. */
  add(spec: FaultSpec): ActiveFault {
    if (!KINDS.includes(spec.kind)) throw new HdeSimError('INVALID', `unknown fault kind ${String(spec.kind)}`);
    if (typeof spec.path !== 'string' || !spec.path) throw new HdeSimError('INVALID', 'fault path is required');
    if (spec.times !== undefined && !(spec.times >= 1)) throw new HdeSimError('INVALID', 'times must be >= 1');
    const status = spec.status ?? 500;
    if (!Number.isInteger(status) || status < 100 || status > 599) {
      throw new HdeSimError('INVALID', `bad fault status ${status}`);
    }
    const fault: ActiveFault = {
      id: this.nextId++,
      method: (spec.method ?? '*').toUpperCase(),
      path: spec.path,
      kind: spec.kind,
      ms: Math.max(0, spec.ms ?? (spec.kind === 'status' ? 1000 : 0)),
      status,
      commit: spec.commit ?? !(spec.kind === 'hang' || spec.kind === 'status'),
      remaining: spec.times ?? null,
    };
    this.faults.push(fault);
    return fault;
  }

  /** Removes every fault. */
  clear(): void {
    this.faults = [];
  }

  /** Faults still active. */
  list(): readonly ActiveFault[] {
    return this.faults;
  }

  /** How many requests each kind of fault has affected so far (a fault test can check it really hit). */
  hits(): Partial<Record<FaultKind, number>> {
    return { ...this.hitsByKind };
  }

  /** Finds the fault for a request and uses up one of its `times`. */
  take(method: string, path: string): ActiveFault | undefined {
    const upper = method.toUpperCase();
    const fault = this.faults.find((f) => (f.method === '*' || f.method === upper) && matchPath(f.path, path));
    if (fault) this.hitsByKind[fault.kind] = (this.hitsByKind[fault.kind] ?? 0) + 1;
    if (!fault || fault.remaining === null) return fault;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
    return fault;
  }
}
