/**
 * What {@link seedIntegration} needs of the store: typed by shape, so this package does not depend on
 * the store (whose tests use it).
 */
export type SeedableStore = {
  organizations: {
    createOrganization(name: string): Promise<{ id: string }>;
    createConsultant(organizationId: string, name: string): Promise<{ id: string }>;
    createSkill(input: { organizationId: string; consultantId: string; name: string }): Promise<{ id: string }>;
  };
  integrations: { create(input: never): Promise<{ id: string }> };
};

/** The integration's fields a test chooses; the organization and skill are made for it. */
export type SeedIntegrationFields<S extends SeedableStore> = Omit<Parameters<S['integrations']['create']>[0], 'organizationId' | 'skillId'>;

/**
 * The smallest tenant most tests need: an organization with a consultant, a skill and one HDE
 * integration of that skill with `fields`. Returns their ids.
 */
export async function seedIntegration<S extends SeedableStore>(
  store: S,
  fields: SeedIntegrationFields<S>,
  options: { organization?: string } = {},
): Promise<{ organizationId: string; skillId: string; integrationId: string }> {
  const org = await store.organizations.createOrganization(options.organization ?? 'Acme');
  const consultant = await store.organizations.createConsultant(org.id, 'Eddy');
  const skillId = (await store.organizations.createSkill({ organizationId: org.id, consultantId: consultant.id, name: 'Support' })).id;
  const create = store.integrations.create as (input: unknown) => Promise<{ id: string }>;
  const integration = await create.call(store.integrations, { ...fields, organizationId: org.id, skillId });
  return { organizationId: org.id, skillId, integrationId: integration.id };
}
