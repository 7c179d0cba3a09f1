import { customFieldSchema, departmentSchema, statusSchema } from './dictionary.schema';
import { EnvelopeError, readOne, readPage } from './envelope';
import { kbArticleSchema, kbCategorySchema } from './kb.schema';
import { commentSchema, postSchema } from './message.schema';
import { ticketSchema } from './ticket.schema';
import { userSchema } from './user.schema';

// Shapes follow HDE's published API samples (PHP SDK docs), trimmed.
const rawTicket = {
  id: 10,
  unique_id: 'YWP-43009',
  date_created: '2017-01-13 12:36:58',
  date_updated: '2017-01-17 13:36:46',
  title: 'New ticket',
  source: 'email',
  status_id: 'open',
  priority_id: 2,
  type_id: 0,
  department_id: 2,
  department_name: 'Отдел поддержки',
  owner_id: 0,
  user_id: '41',
  user_email: 'john.doe@example.com',
  ticket_lock: 0,
  sla_date: '13.01.2017 12:36',
  freeze_date: 'null',
  freeze: 0,
  deleted: '0',
  viewed_by_staff: 1,
  custom_fields: [
    { id: 3, field_type: 'textarea', field_value: '4345' },
    { id: '4', field_type: 'checkbox', field_value: 1 },
    { id: 5, field_type: 'select', field_value: { id: 146, name: 'x' } },
  ],
  tags: ['vip', { id: 2, name: 'bot' }],
  jira_issues: [],
  something_new: { nested: true },
};

describe('ticket schema', () => {
  const schema = ticketSchema(180);

  it('maps a ticket to camelCase with coerced ids and parsed dates', () => {
    const t = schema.parse(rawTicket);
    expect(t).toMatchObject({
      id: 10,
      uniqueId: 'YWP-43009',
      statusId: 'open',
      typeId: 0,
      ownerId: null,
      userId: 41,
      departmentId: 2,
      freeze: false,
      deleted: false,
      viewedByStaff: true,
      viewedByClient: false,
      freezeDate: null,
      tags: ['vip', 'bot'],
    });
    expect(t.dateCreated?.toISOString()).toBe('2017-01-13T09:36:58.000Z');
    expect(t.slaDate?.toISOString()).toBe('2017-01-13T09:36:00.000Z');
    expect(t.customFields).toEqual([
      { id: 3, fieldType: 'textarea', value: '4345' },
      { id: 4, fieldType: 'checkbox', value: 1 },
      { id: 5, fieldType: 'select', value: { id: 146, name: 'x' } },
    ]);
    expect(t).not.toHaveProperty('something_new');
  });

  it('only needs an id', () => {
    expect(schema.parse({ id: '7' })).toMatchObject({ id: 7, title: '', statusId: '', customFields: [], dateCreated: null });
    expect(schema.safeParse({ title: 'no id' }).success).toBe(false);
  });

  it('tells tags not given (the key absent, as in every documented sample) from no tags', () => {
    expect(schema.parse({ id: '7' }).tags).toBeUndefined();
    expect(schema.parse({ id: '7', tags: null }).tags).toBeUndefined();
    expect(schema.parse({ id: '7', tags: [] }).tags).toEqual([]);
  });
});

describe('envelopes', () => {
  const schema = ticketSchema(180);

  it('reads tickets keyed by id as an array, with string pagination numbers', () => {
    const body = {
      data: { '10': rawTicket, '9': { ...rawTicket, id: 9 }, bad: { title: 'no id' } },
      pagination: { total: '3', per_page: 30, current_page: 1, total_pages: 1 },
    };
    const page = readPage(body, schema);
    expect(page.items.map((t) => t.id).sort()).toEqual([10, 9].sort());
    expect(page.skipped).toBe(1);
    expect(page.pagination).toEqual({ total: 3, perPage: 30, currentPage: 1, totalPages: 1 });
  });

  it('reads array data, empty data and missing pagination', () => {
    expect(readPage({ data: [rawTicket] }, schema, 2).pagination).toEqual({ total: 1, perPage: 1, currentPage: 2, totalPages: 1 });
    expect(readPage({ data: [] }, schema).items).toEqual([]);
    expect(readPage({ data: {} }, schema).items).toEqual([]);
  });

  it('refuses bodies without data', () => {
    expect(() => readPage({ errors: [] }, schema)).toThrow(EnvelopeError);
    expect(() => readPage('<html>', schema)).toThrow(EnvelopeError);
    expect(() => readOne({ data: { title: 'no id' } }, schema)).toThrow(EnvelopeError);
  });

  it('unwraps a single object keyed by id', () => {
    expect(readOne({ data: { '10': rawTicket } }, schema).id).toBe(10);
  });
});

describe('posts and comments', () => {
  it('parse the time-first date format', () => {
    const p = postSchema(180).parse({
      ticket_id: 9,
      id: 139,
      user_id: 1,
      text: '<p>post content</p>',
      date_created: '17:45:00 26.01.2017',
      date_updated: '17:45:00 26.01.2017',
      files: [{ name: 'test.gif', url: 'https://x/ru/file/download/f8', data_type: 'gif' }, 'junk'],
    });
    expect(p).toMatchObject({
      id: 139,
      ticketId: 9,
      userId: 1,
      text: '<p>post content</p>',
      files: [{ name: 'test.gif', url: 'https://x/ru/file/download/f8', dataType: 'gif' }],
    });
    expect(p.dateCreated?.toISOString()).toBe('2017-01-26T14:45:00.000Z');
  });

  it('comments fall back to date_created', () => {
    const c = commentSchema(180).parse({
      ticket_id: 9,
      id: 6,
      user_id: 1,
      text: 'test',
      date_created: '18:18:34 05.01.2017',
      visible: 'staff',
    });
    expect(c.visible).toBe('staff');
    expect(c.dateUpdated?.toISOString()).toBe('2017-01-05T15:18:34.000Z');
  });
});

describe('users', () => {
  it('maps group and staff flag and drops the api key', () => {
    const u = userSchema(180).parse({
      id: 1,
      name: 'Admin',
      email: 'test@helpdeskeddy.com',
      status: 'active',
      api_key: 'a32858b4-a65e-49ef-a960-0b7e8d5d1e47',
      group: { id: 2, type: 'staff', name: { ru: 'Администратор', en: 'Administrator' }, disable: 0 },
      department: [1, '2'],
      organization: '',
    });
    expect(u).toMatchObject({ id: 1, isStaff: true, departmentIds: [1, 2], group: { id: 2, type: 'staff', disabled: false } });
    expect(JSON.stringify(u)).not.toContain('a32858b4');
  });

  it('tolerates a missing group', () => {
    expect(userSchema(180).parse({ id: 6, group: '' })).toMatchObject({ group: null, isStaff: false });
  });
});

describe('dictionaries', () => {
  it('departments, array or keyed', () => {
    const arr = readPage({ data: [{ id: 1, name: { ru: 'Поддержка', en: 'Support' } }] }, departmentSchema).items;
    const keyed = readPage({ data: { '1': { id: '1', name: 'Support' } } }, departmentSchema).items;
    expect(arr).toEqual([{ id: 1, name: { ru: 'Поддержка', en: 'Support' } }]);
    expect(keyed).toEqual([{ id: 1, name: { default: 'Support' } }]);
  });

  it('status ids stay strings', () => {
    expect(
      readPage(
        {
          data: [
            { id: 'open', name: { ru: 'Открыто' } },
            { id: 6, name: {} },
          ],
        },
        statusSchema,
      ).items.map((s) => s.id),
    ).toEqual(['open', '6']);
  });

  it('custom fields, hierarchical names per level', () => {
    const fields = readPage(
      {
        data: {
          '2': { id: 2, name: { ru: 'Select', en: 'Select' }, field_type: 'select', permissions: {} },
          '8': { id: 8, name: { '1': { ru: 'Related' }, '2': { ru: 'Related 2' } }, field_type: 'hierarchy' },
        },
      },
      customFieldSchema,
    ).items;
    expect(fields).toEqual([
      { id: 2, fieldType: 'select', name: { ru: 'Select', en: 'Select' }, levelNames: [] },
      { id: 8, fieldType: 'hierarchy', name: { ru: 'Related' }, levelNames: [{ ru: 'Related' }, { ru: 'Related 2' }] },
    ]);
  });
});

describe('knowledge base', () => {
  it('categories keep negative system ids', () => {
    const cats = readPage(
      {
        data: {
          '1': { id: 1, parent_id: 0, position: 23, access: 'staff', title: { ru: 'c1' } },
          '-1': { id: -1, parent_id: 0, title: { ru: 'Шаблоны' } },
        },
      },
      kbCategorySchema(180),
    ).items;
    expect(cats.map((c) => [c.id, c.parentId])).toEqual([
      [1, null],
      [-1, null],
    ]);
  });

  it('articles', () => {
    const a = kbArticleSchema(180).parse({
      id: 56,
      date_created: '2018-07-17 15:15:00',
      access: 'public',
      pin: false,
      views_count: 130,
      categories: [1, -2],
      title: { ru: 'test article' },
      tags: { ru: ['test', 'test2'], en: [] },
      body: { ru: '<p>test body</p>' },
      files: [],
    });
    expect(a).toMatchObject({
      id: 56,
      categoryIds: [1, -2],
      pinned: false,
      viewsCount: 130,
      tags: { ru: ['test', 'test2'], en: [] },
      body: { ru: '<p>test body</p>' },
    });
  });
});
