// Runs once before jest: the suite needs real PostgreSQL and Redis and never skips without them.
const net = require('node:net');

function reachable(url, fallbackPort) {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: u.hostname, port: Number(u.port || fallbackPort) });
    socket.setTimeout(2000);
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('timeout', () => { socket.destroy(); resolve(false); });
    socket.once('error', () => resolve(false));
  });
}

module.exports = async function globalSetup() {
  const pg = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const redis = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';
  const missing = [];
  if (!(await reachable(pg, 5432))) missing.push(`PostgreSQL (TEST_DATABASE_URL, host ${new URL(pg).host})`);
  if (!(await reachable(redis, 6379))) missing.push(`Redis (TEST_REDIS_URL, host ${new URL(redis).host})`);
  if (missing.length > 0) {
    throw new Error(`Tests need real services that are not reachable: ${missing.join(', ')}`);
  }
};
