import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { INGRESS_NODE_ARGS } from '@repo/config';
import { AdminEnv } from '../src/config';
import { IngressEnv } from '../../ingress/src/config';
import { WorkerEnv } from '../../worker/src/config';

const ROOT = path.resolve(__dirname, '../../..');
const APPS = ['ingress', 'worker', 'admin'] as const;

type Service = {
  restart?: string;
  env_file?: string[];
  healthcheck?: { test: string[] };
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
};

function hasDockerCompose(): boolean {
  try {
    execFileSync('docker-compose', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The keys of a zod object schema, through `.superRefine` wrappers. */
function keysOf(schema: unknown): string[] {
  const s = schema as { shape?: Record<string, unknown>; def?: { in?: unknown; schema?: unknown } };
  if (s.shape) return Object.keys(s.shape);
  return keysOf(s.def?.in ?? s.def?.schema);
}

describe('deployment files', () => {
  const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, Service>;
  };
  const envExample = readFileSync(path.join(ROOT, '.env.example'), 'utf8');
  const documented = new Set([...envExample.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));

  it.each(APPS)('compose runs %s with a restart policy, a readiness health check and the one .env', (name) => {
    const service = compose.services[name]!;
    expect(service.restart).toBe('unless-stopped');
    expect(service.env_file).toEqual(['.env']);
    expect(service.healthcheck?.test.join(' ')).toContain('/readyz');
    expect(service.depends_on?.postgres?.condition).toBe('service_healthy');
    expect(service.depends_on?.redis?.condition).toBe('service_healthy');
  });

  it('lets the worker run every stage of the queue catalog (no stage list to forget one in)', () => {
    expect(compose.services.worker!.environment?.WORKER_STAGES).toBeUndefined();
    expect(envExample).toMatch(/^WORKER_STAGES=$/m);
  });

  it('runs the ingress with its V8 options, as the demo and the benchmarks do', () => {
    expect(compose.services.ingress!.environment?.NODE_OPTIONS).toBe(INGRESS_NODE_ARGS.join(' '));
    expect(readFileSync(path.join(ROOT, 'README.md'), 'utf8')).toContain(`node ${INGRESS_NODE_ARGS.join(' ')} apps/ingress/dist/main.js`);
  });

  it('creates the spool folder in the image, owned by the user the apps run as', () => {
    const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/mkdir -p \/spool && chown node:node \/spool/);
    expect(dockerfile.indexOf('chown node:node /spool')).toBeLessThan(dockerfile.lastIndexOf('USER node'));
    expect(compose.services.ingress!.environment?.SPOOL_DIR).toBe('/spool');
    expect(compose.services.ingress!.volumes).toContain('spool:/spool');
  });

  it.each([
    ['worker', WorkerEnv],
    ['admin', AdminEnv],
  ] as const)('the %s checks its LLM and embeddings settings together', (_name, schema) => {
    const base = { SECRETS_KEY: '5f0c2a9e7b13d48c6e21f9a07d3b85c41e6f2d90a8c37b5e14d62f0e9a7c3b18', ADMIN_SESSION_SECRET: 'x'.repeat(32) };
    const issues = (env: Record<string, string>) =>
      (schema.safeParse({ ...base, ...env }).error?.issues ?? []).map((i) => i.path.join('.'));
    expect(issues({})).toEqual([]);
    expect(issues({ LLM_BASE_URL: 'https://llm.example.test/v1' })).toEqual(['LLM_API_KEY']);
    expect(issues({ EMBEDDINGS_BASE_URL: 'https://emb.example.test/v1' })).toEqual(['EMBEDDINGS_API_KEY']);
  });

  it('keeps .env.example readable alike by a shell, Docker Compose and node --env-file: no spaces or quotes in values', () => {
    const lines = envExample.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
    expect(lines.filter((l) => !/^[A-Z][A-Z0-9_]*=[^\s'"`$]*$/.test(l))).toEqual([]);
  });

  it('documents every setting the apps read in .env.example', () => {
    const read = new Set([...keysOf(IngressEnv), ...keysOf(WorkerEnv), ...keysOf(AdminEnv)]);
    const missing = [...read].filter((name) => !documented.has(name));
    expect(missing).toEqual([]);
  });

  // Validated by Debian's docker-compose when it is installed (.ci/run installs it).
  (hasDockerCompose() ? it : it.skip)('is a valid compose file with the documented .env', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'compose-'));
    try {
      copyFileSync(path.join(ROOT, 'docker-compose.yml'), path.join(dir, 'docker-compose.yml'));
      copyFileSync(path.join(ROOT, '.env.example'), path.join(dir, '.env'));
      const out = execFileSync('docker-compose', ['-f', 'docker-compose.yml', 'config'], { cwd: dir, encoding: 'utf8' });
      const resolved = parse(out) as { services: Record<string, Service> };
      for (const name of APPS) {
        expect(resolved.services[name]!.environment?.DATABASE_URL).toBe('postgres://postgres:postgres@postgres:5432/hdebot');
        expect(resolved.services[name]!.environment?.REDIS_URL).toBe('redis://redis:6379');
      }
      expect(resolved.services.admin!.environment?.ADMIN_COOKIE_SECURE).toBe('auto');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
