import { localize, type LocalizedInput } from './localize';
import type { KbArticleRecord, KbCategoryRecord } from './records';
import { HdeSimError } from './sim-error';

/** A new knowledge-base category. */
export type NewKbCategory = { title: LocalizedInput; parentId?: number; access?: string };

/** A new knowledge-base article; `body` is HTML. */
export type NewKbArticle = {
  categoryId: number;
  title: LocalizedInput;
  body: LocalizedInput;
  tags?: string[];
  /** `public`, `user` (signed-in clients) or `staff`; default `public`. */
  access?: string;
  /** Visible only to its author (a draft). */
  showMeOnly?: boolean;
};

/** Changes to an article; `date_updated` moves on every update. */
export type KbArticlePatch = Partial<NewKbArticle>;

/** Knowledge-base categories and articles of one account. */
export class KbStore {
  readonly categories = new Map<number, KbCategoryRecord>();
  readonly articles = new Map<number, KbArticleRecord>();
  private nextCategoryId = 1;
  private nextArticleId = 50;

  constructor(private readonly now: () => number) {
    // HDE's built-in categories, listed beside the company's own (PHP SDK sample CategoriesListGet):
    // the agents' reply templates, public there, and the news feed.
    const at = now();
    for (const [id, title, access] of [
      [-1, { ru: 'Шаблоны', en: 'Templates', ua: 'Шаблони' }, 'public'],
      [-2, { ru: 'Новости', en: 'News', ua: 'Новини' }, 'user'],
    ] as const)
      this.categories.set(id, { id, parentId: 0, position: -id, access, title: localize(title), createdAt: at, updatedAt: at });
  }

  /** Adds a category. */
  addCategory(input: NewKbCategory): KbCategoryRecord {
    const parentId = input.parentId ?? 0;
    if (parentId !== 0) this.category(parentId);
    const at = this.now();
    const category: KbCategoryRecord = {
      id: this.nextCategoryId++,
      parentId,
      position: this.nextCategoryId + 2,
      access: input.access ?? 'public',
      title: localize(input.title),
      createdAt: at,
      updatedAt: at,
    };
    this.categories.set(category.id, category);
    return category;
  }

  /** A category by id, or NOT_FOUND. */
  category(id: number): KbCategoryRecord {
    const category = this.categories.get(id);
    if (!category) throw new HdeSimError('NOT_FOUND', `knowledge-base category ${id} not found`);
    return category;
  }

  /** An article by id, or NOT_FOUND. */
  article(id: number): KbArticleRecord {
    const article = this.articles.get(id);
    if (!article) throw new HdeSimError('NOT_FOUND', `knowledge-base article ${id} not found`);
    return article;
  }

  /** Adds an article to an existing category. */
  addArticle(input: NewKbArticle): KbArticleRecord {
    this.category(input.categoryId);
    const at = this.now();
    const article: KbArticleRecord = {
      id: this.nextArticleId++,
      categoryIds: [input.categoryId],
      access: input.access ?? 'public',
      showMeOnly: input.showMeOnly ?? false,
      title: localize(input.title),
      body: localize(input.body),
      tags: [...(input.tags ?? [])],
      createdAt: at,
      updatedAt: at,
    };
    this.articles.set(article.id, article);
    return article;
  }

  /** Updates an article in place. */
  updateArticle(id: number, patch: KbArticlePatch): KbArticleRecord {
    const article = this.article(id);
    if (patch.categoryId !== undefined) this.category(patch.categoryId);
    if (patch.categoryId !== undefined) article.categoryIds = [patch.categoryId];
    if (patch.title !== undefined) article.title = localize(patch.title);
    if (patch.body !== undefined) article.body = localize(patch.body);
    if (patch.tags !== undefined) article.tags = [...patch.tags];
    if (patch.access !== undefined) article.access = patch.access;
    if (patch.showMeOnly !== undefined) article.showMeOnly = patch.showMeOnly;
    article.updatedAt = this.now();
    return article;
  }

  /** Deletes an article; later reads answer 404 and lists omit it. */
  deleteArticle(id: number): void {
    this.article(id);
    this.articles.delete(id);
  }
}
