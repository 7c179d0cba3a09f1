import { pageNumber, paginate, PAGE_SIZE } from '../pagination';
import { optionalInt } from '../request-values';
import { keyById } from '../wire-json';
import { pathId } from './ids';
import { ok, type RouteDef } from './route-types';

// The published ArticlesListGet sample pages articles by 10, unlike every other list.
const ARTICLES_PER_PAGE = 10;

/** `/knowledge_base/` routes: categories, articles (optionally `category_id`), one article. */
export const knowledgeBaseRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: '/knowledge_base/categories',
    handler: ({ account, query }) => {
      const page = paginate([...account.kb.categories.values()], pageNumber(query.page), PAGE_SIZE);
      return ok(keyById(page.items.map((c) => account.serializer.kbCategory(c))), page.pagination);
    },
  },
  {
    method: 'GET',
    path: '/knowledge_base/articles',
    handler: ({ account, query }) => {
      const category = optionalInt(query.category_id, 'category_id');
      const articles = [...account.kb.articles.values()].filter((a) => category === undefined || a.categoryIds.includes(category));
      const page = paginate(articles, pageNumber(query.page), ARTICLES_PER_PAGE);
      return ok(keyById(page.items.map((a) => account.serializer.kbArticle(a))), page.pagination);
    },
  },
  {
    method: 'GET',
    path: '/knowledge_base/articles/:id',
    handler: ({ account, params }) => ok(account.serializer.kbArticle(account.kb.article(pathId(params.id, 'Article')))),
  },
];
