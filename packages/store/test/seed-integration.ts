import type { Store } from '../src/create-store';

/**
 * The smallest tenant the store's tests need: an organization with a consultant, a skill and one
 * HDE integration of that skill. Returns their ids.
 */
export async function seedIntegration(
  store: Store,
  options: { hdeBaseUrl?: string; adminEmail?: string } = {},
): Promise<{ organizationId: string; skillId: string; integrationId: string }> {
  const org = await store.organizations.createOrganization('Acme');
  const consultant = await store.organizations.createConsultant(org.id, 'Eddy');
  const skillId = (await store.organizations.createSkill({ organizationId: org.id, consultantId: consultant.id, name: 'Support' })).id;
  const integration = await store.integrations.create({
    organizationId: org.id,
    skillId,
    hdeBaseUrl: options.hdeBaseUrl ?? 'https://acme.helpdeskeddy.com',
    adminEmail: options.adminEmail ?? 'bot@acme.test',
    apiKey: 'k',
  });
  return { organizationId: org.id, skillId, integrationId: integration.id };
}
