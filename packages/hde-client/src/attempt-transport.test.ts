import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAttemptTransport } from './attempt-transport';

describe('createAttemptTransport', () => {
  it('fires the connect timeout while DNS never answers, before any byte is sent', async () => {
    const { transport, state } = createAttemptTransport(100);
    const started = Date.now();
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => {
      const req = transport.request({
        protocol: 'http:',
        host: 'hde.invalid',
        port: 80,
        path: '/',
        // A lookup that never calls back: the socket stays "connecting".
        lookup: () => undefined,
      });
      req.on('error', resolve);
      req.end();
    });
    expect(error.code).toBe('ECONNECTTIMEOUT');
    expect(state).toEqual({ connected: false, connectTimedOut: true, responseStarted: false });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('records the connection and the response start', async () => {
    // This one case needs only a plain server, not the simulator.
    const server = http.createServer((_req, res) => res.end('{}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const { transport, state } = createAttemptTransport(1000);
    await new Promise<void>((resolve, reject) => {
      const req = transport.request({ protocol: 'http:', host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end();
    });
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(state).toEqual({ connected: true, connectTimedOut: false, responseStarted: true });
  });
});
