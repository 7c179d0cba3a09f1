import type { HdeSim } from './sim';
import type { AccountInfo } from './sim-types';

/** What {@link seedDemo} created. */
export type DemoSeed = {
  account: AccountInfo;
  departmentId: number;
  agents: { id: number; name: string; email: string; apiKey: string }[];
  customer: { id: number; name: string; email: string };
};

/**
 * Creates a demo account: one department, two agents, one customer, two custom fields and a small
 * knowledge base, so the product's setup flow and a first ticket work without any preparation.
 */
export function seedDemo(sim: HdeSim, slug = 'demo'): DemoSeed {
  const account = sim.createAccount({ slug, adminEmail: `admin@${slug}.example`, apiKey: `${slug}-admin-key` });
  const department = sim.createDepartment(slug, { name: { ru: 'Поддержка', en: 'Support', ua: 'Підтримка' } });
  const agents = [
    { name: 'Ирина', lastname: 'Смирнова', email: `irina@${slug}.example` },
    { name: 'Олег', lastname: 'Кузнецов', email: `oleg@${slug}.example` },
  ].map((a) => sim.createAgent(slug, { ...a, departmentIds: [department.id] }));
  const customer = sim.createCustomer(slug, { name: 'Анна', lastname: 'Иванова', email: `anna@customer.example` });
  sim.addCustomField(slug, { name: { ru: 'Тема', en: 'Topic', ua: 'Тема' }, fieldType: 'text' });
  sim.addCustomField(slug, {
    name: { ru: 'Категория', en: 'Category', ua: 'Категорія' },
    fieldType: 'select',
    options: [
      { id: 1, name: { ru: 'Оплата', en: 'Billing', ua: 'Оплата' } },
      { id: 2, name: { ru: 'Доставка', en: 'Delivery', ua: 'Доставка' } },
    ],
  });
  const category = sim.addKbCategory(slug, { title: { ru: 'Частые вопросы', en: 'FAQ', ua: 'Часті питання' } });
  sim.addKbArticle(slug, {
    categoryId: category.id,
    title: 'Как вернуть товар',
    body: '<p>Вернуть товар можно в течение 14 дней с момента получения. Оформите возврат в личном кабинете.</p>',
  });
  sim.addKbArticle(slug, {
    categoryId: category.id,
    title: 'Сроки доставки',
    body: '<p>Доставка по Москве занимает 1–2 дня, по России — от 3 до 7 дней.</p>',
  });
  return {
    account,
    departmentId: department.id,
    agents: agents.map((a) => ({ id: a.id, name: `${a.name} ${a.lastname}`, email: a.email, apiKey: a.api_key })),
    customer: { id: customer.id, name: `${customer.name} ${customer.lastname}`, email: customer.email },
  };
}
