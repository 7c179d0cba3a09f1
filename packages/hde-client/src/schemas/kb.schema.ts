import type { HdeZone } from '../time-zone';
import { z } from 'zod';
import type { HdeKbArticle, HdeKbCategory } from '../hde-types';
import { dateField, flag, intList, lenientInt, localised, requiredId, text, toList } from './common';

/** Builds the KB category schema for an account timezone. */
export function kbCategorySchema(tz: HdeZone): z.ZodType<HdeKbCategory> {
  const date = dateField(tz);
  return z
    .object({
      id: requiredId,
      parent_id: lenientInt,
      position: lenientInt,
      access: text,
      title: localised,
      date_created: date,
      date_updated: date,
    })
    .transform((r): HdeKbCategory => ({
      id: r.id,
      parentId: r.parent_id === 0 ? null : r.parent_id,
      position: r.position,
      access: r.access,
      title: r.title,
      dateCreated: r.date_created,
      dateUpdated: r.date_updated,
    }));
}

const tagsByLanguage = z
  .unknown()
  .optional()
  .transform((v): Record<string, string[]> => {
    if (Array.isArray(v)) return { default: v.filter((t): t is string => typeof t === 'string') };
    if (!v || typeof v !== 'object') return {};
    const out: Record<string, string[]> = {};
    for (const [lang, list] of Object.entries(v)) {
      out[lang] = toList(list).filter((t): t is string => typeof t === 'string');
    }
    return out;
  });

/** Builds the KB article schema for an account timezone. */
export function kbArticleSchema(tz: HdeZone): z.ZodType<HdeKbArticle> {
  const date = dateField(tz);
  return z
    .object({
      id: requiredId,
      title: localised,
      body: localised,
      tags: tagsByLanguage,
      categories: intList,
      access: text,
      show_me_only: flag,
      pin: flag,
      views_count: lenientInt,
      date_created: date,
      date_updated: date,
    })
    .transform((r): HdeKbArticle => ({
      id: r.id,
      title: r.title,
      body: r.body,
      tags: r.tags,
      categoryIds: r.categories,
      access: r.access,
      showMeOnly: r.show_me_only,
      pinned: r.pin,
      viewsCount: r.views_count,
      dateCreated: r.date_created,
      dateUpdated: r.date_updated,
    }));
}
