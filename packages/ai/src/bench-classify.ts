import { spawnSync } from 'node:child_process';
import { parseScriptArgs } from '@repo/config';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseSkillSettings } from '@repo/domain';
import { classify, CLASSIFY_MAX_CHARS } from './classify';
import { createClassifyPool } from './classify-pool';
import { longestLoopHold } from './loop-hold';
import { tokenize } from './text-tokens';

/** What `--help` prints, and what follows an error in the command line. */
const USAGE = `Usage: npm run bench:classify -- [options]
Measures classification off the main thread: its time per message and the longest stall of the
event loop, against the budgets below.
  --runs N              runs over the messages (default 5)
  --messages N          messages per run (default 20)
  --budget-fixed-ms N   fixed part of the time budget per message (default 40)
  --budget-ms-per-kb N  time budget per kilobyte of message (default 2)
  --budget-stall-ms N   longest stall of the event loop allowed (default 150)
  --prof                write a CPU profile`;

/**
 * bench:classify — how long {@link classify} takes per kB of message, for ordinary and hostile
 * shapes from 1 kB to the 64 kB webhook body limit, beside a naive baseline run on the same input
 * (one tokenising pass, the least any reader of the text does), and how long the event loop stalls
 * while 64 kB messages are classified on the loop versus on the worker-thread pool.
 * The time budget is linear: a message of n kB may take `--budget-fixed-ms` + n × `--budget-ms-per-kb`
 * of CPU (the fixed part is loading the text and running the model on a short message). Exits 1
 * when a shape exceeds it or the pooled loop stall exceeds `--budget-stall-ms`. `--prof` writes CPU
 * profiles (see {@link profiled}).
 */

const SIZES_KB = [1, 4, 16, 64];
const skill = parseSkillSettings({
  topics: [
    { id: 'delivery', name: 'Доставка', keywords: ['доставка', 'курьер', 'shipping'], examples: ['когда привезут заказ'] },
    { id: 'payment', name: 'Оплата', keywords: ['оплата', 'карта', 'счет'], examples: ['как оплатить заказ картой'] },
    { id: 'returns', name: 'Возврат', keywords: ['возврат', 'вернуть товар'], examples: [] },
  ],
});

const PROSE =
  'Здравствуйте! Заказ №48213 оплатил картой позавчера, но статус до сих пор «ожидает оплаты». ' +
  'Подскажите, пожалуйста, когда привезут доставку и можно ли поменять адрес? Спасибо. ';
const EMAIL =
  '<p>Hello,</p><p>I ordered a <b>blue</b> kettle &amp; a mug, the tracking link says <i>delivered</i> but nothing came.</p>' +
  '<table><tr><td>Order</td><td>48213</td></tr></table><blockquote><p>On Mon, support wrote: thanks for your order</p></blockquote>';

/** Message shapes: ordinary text and HTML, and the hostile repetitions that were super-linear. */
const SHAPES: Record<string, string> = {
  'prose (ru)': PROSE,
  'html e-mail (en)': EMAIL,
  'a-space': 'a ',
  'nested <b>': '<b>',
  'unclosed <a': '<a',
  'stray </i>': '<b></i>',
  'one long word': 'y',
  'operator words': 'оператор ',
  hyphenated: 'a-',
  'layout + translit': 'ghbdtn jgthfnjh mozhno s chelovekom ',
};

function repeatTo(piece: string, chars: number): string {
  return piece.repeat(Math.ceil(chars / piece.length)).slice(0, chars);
}

/**
 * Median CPU time (user + system, ms) of `fn` over `runs` runs after one warm-up run. CPU time
 * rather than wall time: the machine is shared, and waiting for a core is not the code's cost.
 */
function median(fn: () => void, runs: number): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.cpuUsage();
    fn();
    const used = process.cpuUsage(start);
    times.push((used.user + used.system) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

/**
 * `--prof`: runs this bench again under V8's profiler (`--cpu-prof`, which also profiles the
 * classify pool's threads, one `.cpuprofile` each) into `var/prof/classify-<time>/` under the
 * current directory; open the files in Chrome DevTools or speedscope.
 */
function profiled(): void {
  const dir = path.resolve('var', 'prof', `classify-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(dir, { recursive: true });
  const args = process.argv.slice(2).filter((a) => a !== '--prof');
  const run = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, __filename, ...args], { stdio: 'inherit' });
  process.stderr.write(`CPU profiles in ${dir}\n`);
  process.exitCode = run.status ?? 1;
}

async function main(): Promise<void> {
  const values = parseScriptArgs(
    {
      runs: { type: 'string', default: '5' },
      'budget-fixed-ms': { type: 'string', default: '40' },
      'budget-ms-per-kb': { type: 'string', default: '2' },
      'budget-stall-ms': { type: 'string', default: '150' },
      messages: { type: 'string', default: '20' },
      prof: { type: 'boolean', default: false },
    },
    USAGE,
  );
  if (values.prof) return profiled();
  const runs = Number(values.runs);
  const budgetFixed = Number(values['budget-fixed-ms']);
  const budgetPerKb = Number(values['budget-ms-per-kb']);
  const budgetStall = Number(values['budget-stall-ms']);
  const messages = Number(values.messages);

  console.log(
    `classify: caps ${CLASSIFY_MAX_CHARS} chars classified; median of ${runs} runs per cell; budget ${budgetFixed} ms + ${budgetPerKb} ms/kB of CPU`,
  );
  console.log('shape                 size  classify cpu ms   ms/kB   baseline cpu ms   ratio');
  let worstPerKb = 0;
  let worstShape = '';
  const overBudget: string[] = [];
  for (const [name, piece] of Object.entries(SHAPES)) {
    for (const kb of SIZES_KB) {
      const text = repeatTo(piece, kb * 1024);
      const html = piece.includes('<');
      const ms = median(() => classify(html ? { html: text, skill } : { text, skill }), runs);
      const baseline = median(() => void tokenize(text).length, runs);
      const perKb = ms / kb;
      if (perKb > worstPerKb) {
        worstPerKb = perKb;
        worstShape = `${name} ${kb} kB`;
      }
      if (ms > budgetFixed + budgetPerKb * kb) overBudget.push(`${name} ${kb} kB (${ms.toFixed(1)} ms)`);
      console.log(
        `${name.padEnd(20)} ${String(kb).padStart(3)} kB ${ms.toFixed(1).padStart(15)} ${perKb.toFixed(2).padStart(7)} ${baseline.toFixed(2).padStart(17)} ${(ms / Math.max(baseline, 0.01)).toFixed(1).padStart(7)}x`,
      );
    }
  }

  // Event-loop stalls: the loop that renews job locks, with 64 kB messages classified on it and on the pool.
  const hostile = Object.values(SHAPES).map((piece) => repeatTo(piece, 64 * 1024));
  const batch = Array.from({ length: messages }, (_, i) => hostile[i % hostile.length] as string);
  // On the loop, one message per turn of the loop (as concurrent jobs would take turns) and the batch at once.
  const onLoop = (
    await longestLoopHold(async () => {
      for (const text of batch) {
        classify({ html: text, skill });
        await new Promise((resolve) => setImmediate(resolve));
      }
    })
  ).longestMs;
  const onLoopBatch = (
    await longestLoopHold(async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      for (const text of batch) classify({ html: text, skill });
    })
  ).longestMs;
  const pool = createClassifyPool();
  await pool.classify({ text: 'warm-up', skill });
  const offLoop = (
    await longestLoopHold(async () => {
      await Promise.all(batch.map((text) => pool.classify({ html: text, skill })));
    })
  ).longestMs;
  await pool.close();
  console.log(
    `event-loop stall, ${messages} × 64 kB hostile messages: on the loop one per turn ${onLoop.toFixed(0)} ms, as one batch ${onLoopBatch.toFixed(0)} ms; on the pool ${offLoop.toFixed(0)} ms (budget ${budgetStall} ms)`,
  );

  const ok = overBudget.length === 0 && offLoop <= budgetStall;
  if (overBudget.length > 0) console.log(`over ${budgetFixed} ms + ${budgetPerKb} ms/kB: ${overBudget.join(', ')}`);
  console.log(
    JSON.stringify({
      worst_ms_per_kb: Math.round(worstPerKb * 100) / 100,
      worst_shape: worstShape,
      budget_fixed_ms: budgetFixed,
      budget_ms_per_kb: budgetPerKb,
      over_budget: overBudget.length,
      loop_stall_ms_on_loop_one: Math.round(onLoop),
      loop_stall_ms_on_loop_batch: Math.round(onLoopBatch),
      loop_stall_ms_on_pool: Math.round(offLoop),
      budget_stall_ms: budgetStall,
      ok,
    }),
  );
  process.exitCode = ok ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
