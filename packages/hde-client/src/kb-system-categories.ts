/**
 * HDE's built-in knowledge-base categories, listed beside the company's own with negative ids
 * (PHP SDK sample `CategoriesListGet`): `-1` «Шаблоны» — the agents' reply templates, public in the
 * sample — and `-2` «Новости», the news feed. Neither holds answers for customers: a template quoted
 * to a customer reads as an agent's draft («Здравствуйте, {имя}!»). A KB sync leaves them out unless
 * the integration names one of them itself.
 */
export const HDE_SYSTEM_KB_CATEGORY_IDS: readonly number[] = [-1, -2];
