import { startHdeSim, type HdeSim } from '../sim';
import type { AccountInfo } from '../sim-types';
import { apiClient } from '../test-support/http';

describe('API v2 users, dictionaries and knowledge base', () => {
  let sim: HdeSim;
  let account: AccountInfo;
  let api: ReturnType<typeof apiClient>;

  beforeAll(async () => {
    sim = await startHdeSim();
    account = sim.createAccount({ slug: 'dir' });
    api = apiClient(account);
  });
  afterAll(() => sim.close());

  it('returns users with their group type and departments', async () => {
    const dep = sim.createDepartment('dir', { name: { ru: 'Поддержка', en: 'Support' } });
    const agent = sim.createAgent('dir', { name: 'Ira', email: 'ira@example.com', departmentIds: [dep.id] });
    const client = sim.createCustomer('dir', { name: 'Anna', email: 'anna@example.com' });
    const staff = await api.get(`/users/${agent.id}/`);
    expect(staff.json.data).toMatchObject({ id: agent.id, email: 'ira@example.com', department: [dep.id] });
    expect(staff.json.data.group).toMatchObject({
      type: 'staff',
      name: { ru: expect.any(String), en: expect.any(String), ua: expect.any(String) },
    });
    expect((await api.get(`/users/${client.id}`)).json.data.group.type).toBe('user');
    expect((await api.get('/users/9999/')).status).toBe(404);

    const search = await api.get('/users/?search=ANNA@example');
    expect(search.json.data.map((u: { id: number }) => u.id)).toEqual([client.id]);
    const clients = await api.get('/users/?group_list=1');
    expect(clients.json.data.every((u: { group: { type: string } }) => u.group.type === 'user')).toBe(true);
    expect(clients.json.pagination).toMatchObject({ per_page: 30, current_page: 1 });

    const deps = await api.get('/departments/');
    expect(deps.json.data[String(dep.id)]).toEqual({ id: dep.id, name: { ru: 'Поддержка', en: 'Support', ua: 'Поддержка' } });
  });

  it('lists the groups an account created beside the built-in ones, filters users by them, or answers 404 on request', async () => {
    const group = sim.addUserGroup('dir', { name: 'Вторая линия' });
    expect(group).toMatchObject({ id: 4, type: 'staff' });
    const expert = sim.createAgent('dir', { name: 'Oleg', email: 'oleg@example.com', groupId: group.id });
    expect(() => sim.createCustomer('dir', { name: 'X', email: 'x@example.com', groupId: group.id } as never)).toThrow(
      /not a client group/,
    );
    expect(() => sim.createAgent('dir', { name: 'Y', email: 'y@example.com', groupId: 99 })).toThrow(/group 99 not found/);
    const groups = await api.get('/groups/');
    expect(groups.json.data.map((g: { id: number; type: string }) => [g.id, g.type])).toEqual([
      [1, 'user'],
      [2, 'staff'],
      [3, 'staff'],
      [4, 'staff'],
    ]);
    expect((await api.get(`/users/${expert.id}/`)).json.data.group).toMatchObject({ id: 4, type: 'staff', name: { ru: 'Вторая линия' } });
    const listed = await api.get(`/users/?group_list=${group.id}`);
    expect(listed.json.data.map((u: { id: number }) => u.id)).toEqual([expert.id]);
    expect((await api.get('/users/?group_list=3')).json.data.some((u: { id: number }) => u.id === expert.id)).toBe(false);
    sim.setVariant('dir', { groupsEndpoint: 'absent' });
    const absent = await api.get('/groups/');
    expect(absent.status).toBe(404);
    expect(absent.json.errors[0]).toMatchObject({ code: 'e-404' });
    sim.setVariant('dir', { groupsEndpoint: 'listed' });
  });

  it('returns statuses with string ids and localized names, priorities and types', async () => {
    const statuses = await api.get('/statuses/');
    expect(statuses.json.data[0]).toEqual({ id: 'open', name: { ru: 'Открыто', en: 'Open', ua: 'Открыто' } });
    expect((await api.get('/types/')).json.data[0].id).toBe(0);
    expect((await api.get('/priorities/')).json.data).toHaveLength(3);
  });

  it('lists custom fields keyed by id', async () => {
    const field = sim.addCustomField('dir', { name: 'Topic', fieldType: 'text' });
    const res = await api.get('/custom_fields/');
    expect(res.json.data[String(field.id)]).toMatchObject({ id: field.id, field_type: 'text' });
  });

  it('serves the knowledge base in the published shape, 10 articles per page', async () => {
    const cat = sim.addKbCategory('dir', { title: 'FAQ' });
    const ids: number[] = [];
    for (let i = 0; i < 11; i++) {
      ids.push(sim.addKbArticle('dir', { categoryId: cat.id, title: `A${i}`, body: `<p>body ${i}</p>` }).id);
    }
    const cats = await api.get('/knowledge_base/categories/');
    expect(cats.json.data[String(cat.id)]).toMatchObject({ id: cat.id, parent_id: 0, title: { ru: 'FAQ', en: 'FAQ', ua: 'FAQ' } });
    const page1 = await api.get('/knowledge_base/articles/');
    expect(Object.keys(page1.json.data)).toHaveLength(10);
    expect(page1.json.pagination).toEqual({ total: 11, per_page: 10, current_page: 1, total_pages: 2 });
    const first = page1.json.data[String(ids[0])];
    expect(first).toMatchObject({ categories: [cat.id], title: { ru: 'A0' }, body: { ru: '<p>body 0</p>' } });
    expect(first.date_updated).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

    const updated = sim.updateKbArticle('dir', ids[0]!, { body: '<p>new</p>' });
    expect((await api.get(`/knowledge_base/articles/${updated.id}`)).json.data.body.en).toBe('<p>new</p>');
    sim.deleteKbArticle('dir', ids[0]!);
    expect((await api.get(`/knowledge_base/articles/${ids[0]}/`)).status).toBe(404);
    expect((await api.get('/knowledge_base/articles/')).json.pagination.total).toBe(10);
  });
});
