import { ConfigError, loadConfig } from './load-config';
import { RedisEnv } from './fragments';
import { checkRedisEnv, parseRedisNodes, redisTarget } from './redis-nodes';

const schema = RedisEnv.superRefine(checkRedisEnv);

/** The problems a configuration has, or [] (the messages never hold the value). */
function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(schema, env);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems;
  }
}

describe('REDIS_URL and REDIS_CLUSTER', () => {
  it('keeps one server the default and reads a cluster of seed nodes with their shared TLS, user and password', () => {
    expect(redisTarget(loadConfig(schema, {}))).toEqual({ url: 'redis://127.0.0.1:6379', cluster: false });
    const url = 'rediss://bot:p%40ss@node1.example:6380,node2.example,[::1]:7000';
    expect(redisTarget(loadConfig(schema, { REDIS_URL: url, REDIS_CLUSTER: 'true' }))).toEqual({ url, cluster: true });
    expect(parseRedisNodes(url)).toEqual({
      nodes: [
        { host: 'node1.example', port: 6380 },
        { host: 'node2.example', port: 6379 },
        { host: '::1', port: 7000 },
      ],
      tls: true,
      username: 'bot',
      password: 'p@ss',
      db: 0,
    });
    // Whole URLs after the comma are taken when they say the same scheme, user and password.
    expect(parseRedisNodes('redis://:pw@a:1,redis://:pw@b:2').nodes).toEqual([
      { host: 'a', port: 1 },
      { host: 'b', port: 2 },
    ]);
  });

  it('names REDIS_URL and what is wrong, never the value (it can hold a password)', () => {
    const secret = 'S3cretPassw0rd';
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ REDIS_URL: `redis://:${secret}@a:6379,b:6379` }, /^REDIS_URL: lists several nodes.*REDIS_CLUSTER=true/],
      [{ REDIS_URL: `redis://:${secret}@a:6379/2`, REDIS_CLUSTER: 'true' }, /^REDIS_URL: names a database other than 0/],
      [{ REDIS_URL: `redis://:${secret}@a:6379,`, REDIS_CLUSTER: 'true' }, /^REDIS_URL: has an empty node/],
      [
        { REDIS_URL: `redis://:${secret}@a:6379,redis://:other${secret}@b:6379`, REDIS_CLUSTER: 'true' },
        /^REDIS_URL: lists nodes with different/,
      ],
      [
        { REDIS_URL: `redis://:${secret}@a:6379,:${secret}@b:6379`, REDIS_CLUSTER: 'true' },
        /^REDIS_URL: has a node after a comma with more than host:port/,
      ],
      [{ REDIS_URL: `http://:${secret}@a:6379` }, /^REDIS_URL: must start with redis:\/\/ or rediss:\/\//],
      [{ REDIS_URL: `redis://:${secret}@a:99999` }, /^REDIS_URL: /],
      [{ REDIS_URL: 'redis://a:6379', REDIS_CLUSTER: 'maybe' }, /^REDIS_CLUSTER: must be true or false/],
    ];
    for (const [env, expected] of cases) {
      const found = problems(env);
      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(expected);
      expect(found[0]).not.toContain(secret);
    }
  });
});
