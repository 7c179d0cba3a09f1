import { parseSkillSettings } from '@repo/domain';
import { classify } from './classify';
import { ClassifyPoolError, createClassifyPool } from './classify-pool';

/** The pool runs the compiled thread module (`dist`), which `npm test` builds first. */
describe('createClassifyPool', () => {
  const skill = parseSkillSettings({});

  it('returns what classify returns', async () => {
    const pool = createClassifyPool({ maxThreads: 1 });
    try {
      const input = { html: '<p>Позовите, пожалуйста, оператора</p>', skill };
      expect(await pool.classify(input)).toEqual(classify(input));
    } finally {
      await pool.close();
    }
  });

  it('D3 a classification over its time limit is cut off with a non-retryable error (bounded), and the pool keeps serving', async () => {
    const pool = createClassifyPool({ maxThreads: 1 });
    try {
      const error = await pool.classify({ text: 'a '.repeat(32_768), skill }, { timeoutMs: 1 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ClassifyPoolError);
      expect(error).toMatchObject({ code: 'classify_timeout', retryable: false });
      expect((await pool.classify({ text: 'talk to a human', skill })).intent).toBe('operator_request');
    } finally {
      await pool.close();
    }
  });

  it('refuses work once closed', async () => {
    const pool = createClassifyPool({ maxThreads: 1 });
    await pool.close();
    await expect(pool.classify({ text: 'hi', skill })).rejects.toMatchObject({ code: 'classify_pool_closed', retryable: false });
  });
});
