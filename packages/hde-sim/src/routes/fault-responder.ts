import { STATUS_CODES } from 'node:http';
import type { Request, Response } from 'express';
import type { Account } from '../account';
import { HdeApiError } from '../api-error';
import type { ActiveFault } from '../faults';
import type { Lifecycle } from '../lifecycle';
import { encodeWireJson } from '../wire-json';
import { errorResult, send, sendBanned } from './respond';
import type { ApiResult } from './route-types';

/** Everything a fault needs to answer (or not answer) one request. */
export type FaultTarget = {
  req: Request;
  res: Response;
  account: Account;
  lifecycle: Lifecycle;
  /** Performs the request's effect and returns its normal answer. */
  run: () => ApiResult;
};

const PROXY_STATUSES = new Set([502, 503, 504]);

// Gateway errors come from the proxy in front of the application, so they are HTML, not HDE JSON.
function proxyPage(status: number, title: string): string {
  return `<html>\r\n<head><title>${status} ${title}</title></head>\r\n<body>\r\n<center><h1>${status} ${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

function sendInjectedStatus(res: Response, fault: ActiveFault): void {
  res.status(fault.status);
  const title = STATUS_CODES[fault.status] ?? `Status ${fault.status}`;
  if (fault.status === 429) res.setHeader('Retry-After', String(Math.max(1, Math.ceil(fault.ms / 1000))));
  if (PROXY_STATUSES.has(fault.status)) {
    res.setHeader('Content-Type', 'text/html');
    res.send(proxyPage(fault.status, title));
    return;
  }
  send(res, errorResult(new HdeApiError(fault.status, title, 'Injected fault')));
}

async function trickle(target: FaultTarget, result: ApiResult, totalMs: number): Promise<void> {
  const { res, lifecycle } = target;
  const body = Buffer.from(encodeWireJson(result.body));
  const parts = Math.max(1, Math.min(10, body.length));
  const size = Math.ceil(body.length / parts);
  res.status(result.status);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', String(body.length));
  res.flushHeaders();
  for (let offset = 0; offset < body.length; offset += size) {
    if (!(await lifecycle.sleep(totalMs / parts)) || res.destroyed) return;
    res.write(body.subarray(offset, offset + size));
  }
  res.end();
}

/** Answers a request the way its fault dictates; see the README's fault table. */
export async function respondWithFault(fault: ActiveFault, target: FaultTarget): Promise<void> {
  const { req, res, account, lifecycle, run } = target;
  switch (fault.kind) {
    case 'ban':
      account.limiter.ban();
      res.setHeader('X-Rate-Limit-Remaining', '0');
      sendBanned(res, account);
      return;
    case 'latency': {
      if (!(await lifecycle.sleep(fault.ms))) return;
      send(res, run());
      return;
    }
    case 'status':
      if (fault.commit) run();
      sendInjectedStatus(res, fault);
      return;
    case 'hang':
      // Never answered; the socket is destroyed by the client giving up or by close().
      if (fault.commit) run();
      return;
    case 'reset_after_body':
      if (fault.commit) run();
      req.socket.destroy();
      return;
    case 'trickle':
      await trickle(target, run(), fault.ms);
      return;
  }
}
