/** One operation of the API: method, path, summary, who may call it, and whether it takes a JSON body. */
type Operation = {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  access: 'any' | 'admin' | 'owner' | 'visible';
  body?: string;
};

const ACCESS: Record<Operation['access'], string> = {
  any: 'Any user of the organization.',
  admin: 'Admins only (403 for members).',
  owner: "Admins and the skill's owners (403 otherwise).",
  visible:
    "Users who may see the integration's dialogs: admins, everyone when «visible to all» is on, else users granted access (404 otherwise).",
};

const OPERATIONS: Operation[] = [
  { method: 'get', path: '/me', summary: 'The token owner', access: 'any' },
  { method: 'get', path: '/consultants', summary: 'List consultants', access: 'any' },
  { method: 'post', path: '/consultants', summary: 'Create a consultant', access: 'admin', body: '{ "name": string }' },
  { method: 'get', path: '/consultants/{id}/skills', summary: "List a consultant's skills", access: 'any' },
  {
    method: 'post',
    path: '/consultants/{id}/skills',
    summary: 'Create a skill',
    access: 'admin',
    body: '{ "name": string, "language"?: "ru"|"en" }',
  },
  { method: 'get', path: '/skills/{id}', summary: 'Read a skill', access: 'any' },
  {
    method: 'put',
    path: '/skills/{id}/settings',
    summary: "Replace a skill's policy (SkillSettings JSON)",
    access: 'admin',
    body: 'SkillSettings',
  },
  { method: 'put', path: '/skills/{id}/owners/{userId}', summary: 'Make a user an owner of the skill', access: 'admin' },
  { method: 'delete', path: '/skills/{id}/owners/{userId}', summary: 'Remove a skill owner', access: 'admin' },
  {
    method: 'post',
    path: '/skills/{id}/integrations',
    summary: 'Connect HelpDeskEddy: checks the credentials against HDE, finds the bot user, returns the webhook token once',
    access: 'admin',
    body: '{ "domain": string, "email": string, "apiKey": string, "timeZone"?: string, "handoffTarget"?: "agent"|"department"|"least_loaded", "handoffDepartmentId"?: number, "handoffAgentId"?: number }',
  },
  { method: 'get', path: '/integrations', summary: 'List integrations', access: 'admin' },
  { method: 'get', path: '/integrations/{id}', summary: 'Read an integration', access: 'admin' },
  {
    method: 'patch',
    path: '/integrations/{id}',
    summary:
      'Change reply mode, scope, hand-off target, working hours, enrichment, visibility, enabled, time zone, automation users, the KB sync, reading the ticket before a reply (staleAfterMs, 0 = before every reply) and the HDE account limit (requests/minute, 1..300; the smallest of an account’s integrations applies). A field that is out of range answers 400 with `field` and an error code',
    access: 'admin',
    body: '{ "name"?, "replyMode"?: "public"|"note"|"off", "scopeDepartmentIds"?: number[], "scopeSources"?: string[], "scopeTags"?: string[], "handoffDepartmentId"?: number|null, "handoffAgentId"?: number|null, "handoffTarget"?: "agent"|"department"|"least_loaded", "handoffStatusId"?: string|null, "handoffTag"?: string|null, "handBackOnReopen"?: boolean, "workingHours"?: {timezone,days,from,to}|null, "enrichment"?: [{when:{intent?,topic?,language?,tone?},tags?,customFields?}], "dialogsVisibleToAll"?: boolean, "enabled"?: boolean, "timeZone"?: string, "automationUserIds"?: number[], "kbSyncEnabled"?: boolean, "kbSyncCategoryIds"?: number[], "kbSyncAccess"?: ("public"|"user"|"staff")[], "staleAfterMs"?: number, "rateLimitPerMinute"?: number }',
  },
  {
    method: 'put',
    path: '/integrations/{id}/api-key',
    summary: 'Replace the HDE API key: checked against HDE first, stored encrypted, used by the worker from its next job',
    access: 'admin',
    body: '{ "apiKey": string }',
  },
  {
    method: 'delete',
    path: '/integrations/{id}',
    summary: 'Delete the integration with its webhook tokens, settings and dialogs history',
    access: 'admin',
  },
  {
    method: 'get',
    path: '/integrations/{id}/hde-directory',
    summary: "HDE's departments and active agents (cached 10 min), or why HDE could not be read",
    access: 'admin',
  },
  { method: 'get', path: '/integrations/{id}/tokens', summary: 'List webhook tokens (hints only)', access: 'admin' },
  {
    method: 'post',
    path: '/integrations/{id}/tokens',
    summary: 'Rotate: a new token (returned once); old tokens keep working for the grace period',
    access: 'admin',
  },
  { method: 'delete', path: '/integrations/{id}/tokens/{tokenId}', summary: 'Revoke a webhook token now', access: 'admin' },
  { method: 'get', path: '/integrations/{id}/access', summary: 'Users granted access to the dialogs', access: 'admin' },
  { method: 'put', path: '/integrations/{id}/access/{userId}', summary: 'Grant a user access to the dialogs', access: 'admin' },
  { method: 'delete', path: '/integrations/{id}/access/{userId}', summary: 'Withdraw access', access: 'admin' },
  {
    method: 'get',
    path: '/integrations/{id}/overview',
    summary: 'Counters for the last `days` days (query `days`, 1..92)',
    access: 'visible',
  },
  { method: 'get', path: '/dialogs', summary: 'List dialogs (query: integration, state, from, to, q, page, perPage)', access: 'visible' },
  {
    method: 'get',
    path: '/dialogs/{id}',
    summary:
      'A dialog: its newest 200 messages (query `before`: a message id, for those before it; `page.olderBefore` is the next cursor, null on the oldest page), their decisions with classification/KB hits/reasons, HDE actions, ratings, `holderChanges` (who took the ticket over or returned it, when) and `holderActions`',
    access: 'visible',
  },
  {
    method: 'post',
    path: '/dialogs/{id}/turns/{turnId}/approve',
    summary: 'Approve (and edit) a draft reply; posts it to HDE exactly once through the send ledger',
    access: 'visible',
    body: '{ "text": string }',
  },
  {
    method: 'post',
    path: '/dialogs/{id}/turns/{turnId}/rating',
    summary: 'Rate a bot reply',
    access: 'visible',
    body: '{ "rating": "good"|"bad", "reason"?: string }',
  },
  {
    method: 'post',
    path: '/dialogs/{id}/take-over',
    summary:
      'Take a ticket the bot holds over (state `agent`, reason `taken_over_in_admin`): the bot stays silent in it until it is returned. Nothing is posted to HDE. 409 when the bot does not hold it',
    access: 'visible',
  },
  {
    method: 'post',
    path: '/dialogs/{id}/return',
    summary:
      'Return a ticket a human holds (`agent` or `handed_off`) to the bot (reason `returned_in_admin`): the bot answers the customer’s next message, never earlier ones; a closed ticket stays closed. 409 when no human holds it',
    access: 'visible',
  },
  { method: 'get', path: '/skills/{id}/kb', summary: 'List articles (query q: substring)', access: 'any' },
  { method: 'get', path: '/skills/{id}/kb/search', summary: 'Ranked KB search as the consultant does it (query q)', access: 'any' },
  {
    method: 'post',
    path: '/skills/{id}/kb',
    summary: 'Create an article',
    access: 'owner',
    body: '{ "title": string, "body": string, "tags"?: string[], "url"?: string }',
  },
  {
    method: 'post',
    path: '/skills/{id}/kb/import',
    summary: 'Import articles (upsert by externalId or title)',
    access: 'owner',
    body: 'Article[]',
  },
  {
    method: 'post',
    path: '/skills/{id}/kb/sync',
    summary: "Queue a sync of the skill from its integrations' HDE knowledge base",
    access: 'owner',
  },
  { method: 'get', path: '/skills/{id}/kb/{articleId}', summary: 'Read an article', access: 'any' },
  {
    method: 'put',
    path: '/skills/{id}/kb/{articleId}',
    summary: 'Edit an article',
    access: 'owner',
    body: '{ "title": string, "body": string, "tags"?: string[] }',
  },
  { method: 'delete', path: '/skills/{id}/kb/{articleId}', summary: 'Delete an article', access: 'owner' },
  {
    method: 'post',
    path: '/skills/{id}/preview',
    summary:
      "Test box: classification, KB hits, decision and draft answer for a message, and the providers used, without touching HDE (the worker's pipeline: with LLM_* set the message goes to that LLM; limited per user and minute)",
    access: 'any',
    body: '{ "message": string }',
  },
  { method: 'get', path: '/skills/{id}/ratings', summary: "Ratings of the skill's replies", access: 'owner' },
  { method: 'get', path: '/users', summary: 'List users', access: 'admin' },
  {
    method: 'post',
    path: '/users',
    summary: 'Create a user',
    access: 'admin',
    body: '{ "email": string, "password": string (≥10), "name"?: string, "role"?: "admin"|"member" }',
  },
  {
    method: 'patch',
    path: '/users/{id}',
    summary: "Change a user's role or disable them",
    access: 'admin',
    body: '{ "role"?: "admin"|"member", "disabled"?: boolean }',
  },
  {
    method: 'delete',
    path: '/users/{id}',
    summary: 'Delete another user of the organization (never oneself or the last admin: 400/409); their sessions and tokens end',
    access: 'admin',
  },
  {
    method: 'post',
    path: '/users/{id}/reset-password',
    summary: "Reset another user's password to a generated one (returned once); their sessions end",
    access: 'admin',
  },
  { method: 'get', path: '/api-tokens', summary: 'List personal API tokens', access: 'admin' },
  {
    method: 'post',
    path: '/api-tokens',
    summary: 'Issue a personal API token (returned once)',
    access: 'admin',
    body: '{ "userId": uuid, "name": string }',
  },
  { method: 'delete', path: '/api-tokens/{id}', summary: 'Revoke a personal API token', access: 'admin' },
];

function operationId(op: Operation): string {
  return (op.method + op.path.replace(/\{(\w+)\}/g, 'By-$1')).replace(/[^a-zA-Z0-9]+(.)?/g, (_m, c: string | undefined) =>
    c ? c.toUpperCase() : '',
  );
}

function buildDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    paths[op.path] ??= {};
    paths[op.path]![op.method] = {
      operationId: operationId(op),
      summary: op.summary,
      description: ACCESS[op.access],
      parameters: params,
      ...(op.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: { type: op.body.endsWith('[]') ? 'array' : 'object', description: op.body } } },
            },
          }
        : {}),
      responses: {
        '200': { description: 'OK (JSON)' },
        '201': { description: 'Created (JSON)' },
        '204': { description: 'Done, no body' },
        '400': { description: 'Invalid input: `{ "error": "invalid", "message": … }`' },
        '401': { description: 'Missing, unknown or revoked token' },
        '403': { description: 'Not allowed for this role' },
        '404': { description: 'Not found, or not visible to this user' },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'HDE consultant admin API',
      version: '1.0.0',
      description:
        "Every action of the admin web app as JSON. Authenticate with a personal API token that an admin issues under «API-токены»: `Authorization: Bearer hdea_…`. A token acts with its user's role and visibility.",
    },
    servers: [{ url: '/api/admin/v1' }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths,
  };
}

/** The OpenAPI 3.1 description of /api/admin/v1, served at /api/admin/v1/openapi.json. */
export const OPENAPI_DOCUMENT = buildDocument();
/** The documented operations (tests check each one is routed). */
export const API_OPERATIONS: ReadonlyArray<Pick<Operation, 'method' | 'path' | 'access'>> = OPERATIONS;
