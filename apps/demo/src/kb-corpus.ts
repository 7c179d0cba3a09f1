import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseMarkdownArticle } from '@repo/store';
import { REPO_ROOT } from './processes';

/** A generated knowledge-base article. */
export type CorpusArticle = { externalId: string; title: string; body: string; tags: string[] };

/** Deterministic pseudo-random numbers (mulberry32), so every bench run searches the same corpus. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BRANDS = [
  'Нова',
  'Вортекс',
  'Аврора',
  'Зенит',
  'Полюс',
  'Орион',
  'Сатурн',
  'Гранит',
  'Лагуна',
  'Вектор',
  'Север',
  'Кедр',
  'Бриз',
  'Альфа',
  'Омега',
  'Титан',
];
const GOODS = [
  'смартфон',
  'ноутбук',
  'телевизор',
  'холодильник',
  'пылесос',
  'чайник',
  'планшет',
  'наушники',
  'монитор',
  'принтер',
  'роутер',
  'кофемашина',
  'микроволновка',
  'утюг',
  'фен',
  'часы',
  'колонка',
  'камера',
  'велосипед',
  'самокат',
];
const CITIES = [
  'Москва',
  'Казань',
  'Новосибирск',
  'Екатеринбург',
  'Самара',
  'Омск',
  'Пермь',
  'Воронеж',
  'Краснодар',
  'Тюмень',
  'Иркутск',
  'Томск',
];
const ASPECTS = [
  'доставка',
  'гарантия',
  'возврат',
  'настройка',
  'оплата',
  'комплектация',
  'обновление прошивки',
  'подключение',
  'уход и чистка',
  'совместимость',
];

/** The demo's own knowledge base (apps/demo/kb), parsed as an import parses it. */
function seedArticles(): Array<{ title: string; sections: string[]; tags: string[] }> {
  const dir = path.join(REPO_ROOT, 'apps', 'demo', 'kb');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => {
      const parsed = parseMarkdownArticle(f, readFileSync(path.join(dir, f), 'utf8'), 'corpus');
      const sections = parsed.body
        .split(/\n(?=## )/)
        .map((s) => s.trim())
        .filter(Boolean);
      return { title: parsed.title, sections, tags: parsed.tags ?? [] };
    });
}

/**
 * A realistic support knowledge base of `count` articles in Russian: the demo's 26 articles are
 * the templates; each generated article takes one template's title and a random subset of its
 * sections, mixes in a section of another template, and is about one product (brand, model number,
 * kind of goods), one aspect and one city, so the corpus has a Zipf-like vocabulary, many
 * near-duplicates (the same policy for hundreds of products), article-specific rare words (model
 * numbers) and articles of 100–600 words in several passages.
 */
export function generateCorpus(count: number, seed = 11): CorpusArticle[] {
  const random = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const seeds = seedArticles();
  const out: CorpusArticle[] = [];
  for (let i = 0; i < count; i += 1) {
    const base = seeds[i % seeds.length]!;
    const other = pick(seeds);
    const goods = pick(GOODS);
    const brand = pick(BRANDS);
    const model = `${brand} ${String.fromCharCode(65 + Math.floor(random() * 26))}${Math.floor(random() * 900 + 100)}`;
    const aspect = pick(ASPECTS);
    const city = pick(CITIES);
    const sections = base.sections.filter(() => random() < 0.7);
    if (sections.length === 0 && base.sections[0]) sections.push(base.sections[0]);
    const extra = pick(other.sections);
    const body = [
      `${goods[0]!.toUpperCase()}${goods.slice(1)} ${model}: ${aspect}. Условия для покупателей из города ${city} и других регионов.`,
      ...sections,
      extra,
    ].join('\n\n');
    out.push({
      externalId: `a${i}`,
      title: `${base.title}: ${goods} ${model}`,
      body,
      tags: [goods, brand.toLowerCase(), ...base.tags.slice(0, 2)],
    });
  }
  return out;
}

/** Customer questions for the corpus: the demo's evaluation questions, some about a generated product. */
export function corpusQueries(articles: CorpusArticle[], count: number, seed = 7): string[] {
  const random = prng(seed);
  const file = path.join(REPO_ROOT, 'packages', 'ai', 'eval', 'retrieval-queries.jsonl');
  const base = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { query: string }).query);
  const out: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const q = base[Math.floor(random() * base.length)]!;
    if (random() < 0.4) {
      const a = articles[Math.floor(random() * articles.length)]!;
      const product = a.title.split(': ')[1] ?? '';
      out.push(`${q} ${product}`);
    } else out.push(q);
  }
  return out;
}
