import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_ANSWER_THRESHOLD, rawConfidence } from './kb-confidence';
import { KbIndex, type IndexedArticle } from './kb-index';
import { loadKb, searchLoaded } from './kb-search-service';

/** The demo shop's knowledge base (the committed development set), split into sections as the importer does. */
function demoKb(): { articles: IndexedArticle[]; idOf: Map<string, number> } {
  const file = path.join(__dirname, '..', 'eval', 'retrieval-articles.jsonl');
  const rows = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { id: string; title: string; body: string });
  let passage = 1;
  const idOf = new Map<string, number>();
  const articles = rows.map((r, i) => {
    idOf.set(r.id, i + 1);
    const sections = r.body.split(/\n(?=## )/).map((s) => {
      const [head, ...rest] = s.split('\n');
      return head!.startsWith('## ') ? { heading: head!.slice(3), text: rest.join('\n').trim() } : { heading: '', text: s.trim() };
    });
    return { id: i + 1, title: r.title, passages: sections.map((s) => ({ id: passage++, ...s })) };
  });
  return { articles, idOf };
}

describe('KB search on the demo knowledge base', () => {
  const { articles, idOf } = demoKb();

  it('ranks the warranty article first for a warranty question and quotes the warranty period', async () => {
    const kb = await loadKb({ version: '1', articles });
    const [hit] = searchLoaded(kb, 'Сколько действует гарантия на смартфон?');
    // «Гарантия лучшей цены» has the question's exact word in its title; «Гарантийный ремонт» a derived form.
    expect(hit?.articleId).toBe(idOf.get('warranty-repair'));
    expect(hit?.passage).toMatch(/Гарантийный срок|12 месяцев/);
  });

  it('quotes the section about when the warranty does not apply for a question that asks with a negation', async () => {
    const kb = await loadKb({ version: '1', articles });
    // «гарантия» is in four of the article's five sections; the negation is what tells which one is meant.
    const [hit] = searchLoaded(kb, 'warranty не действует если уронил?');
    expect(hit?.articleId).toBe(idOf.get('warranty-repair'));
    expect(hit?.passage).toMatch(/Механические повреждения/);
    const [plain] = searchLoaded(kb, 'Сколько действует гарантия на смартфон?');
    expect(plain?.passage).not.toMatch(/Механические повреждения/);
  });

  it('is confident for a question that restates an article title, and the restatement is what makes it so', async () => {
    const kb = await loadKb({ version: '1', articles });
    const [hit] = searchLoaded(kb, 'Какие способы оплаты у вас есть?');
    expect(hit?.articleId).toBe(idOf.get('payment-methods'));
    expect(hit?.score ?? 0).toBeGreaterThanOrEqual(DEFAULT_ANSWER_THRESHOLD);
    const hits = kb.index.search('Какие способы оплаты у вас есть?', { limit: 10 });
    expect(hits[0]?.titleMatch).toBeGreaterThan(0.9);
    const without = rawConfidence(
      kb.index,
      hits.map((h) => ({ ...h, titleMatch: 0 })),
    );
    expect(without.raw).toBeLessThan(kb.calibration.boundary);
    expect(rawConfidence(kb.index, hits).raw).toBeGreaterThanOrEqual(kb.calibration.boundary);
  });

  it('reads a question that shares only part of a title as no restatement', () => {
    const index = new KbIndex({ version: '1', articles });
    const hit = index.search('Гарантия на ноутбук', { limit: 10 }).find((h) => h.articleId === idOf.get('price-match'));
    // «Гарантия лучшей цены»: the question has one of the title's three words.
    expect(hit?.titleMatch ?? 0).toBeLessThan(0.5);
  });
});
