export { createTestDatabase, adminDatabaseUrl } from './test-database';
export { testRedisUrl, uniquePrefix, deleteRedisPrefix } from './test-redis';
export { waitFor } from './wait-for';
export type { TestDatabase } from './test-database';
export { seedIntegration } from './seed-integration';
export type { SeedableStore, SeedIntegrationFields } from './seed-integration';
export { startFakeChatModel } from './fake-chat-model';
export type { FakeChatModel, FakeChatMode, SeenChatRequest } from './fake-chat-model';
