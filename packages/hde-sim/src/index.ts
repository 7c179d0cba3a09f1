export { startHdeSim, HdeSim } from './sim';
export type {
  HdeSimOptions,
  CreateAccountOptions,
  AccountInfo,
  CreateAgentOptions,
  CreateCustomerOptions,
  OpenTicketOptions,
  AddCustomFieldOptions,
  AddUserGroupOptions,
} from './sim-types';
export type { ApiLogEntry, DispatcherInput } from './account';
export type { DispatcherConfig, DispatchLogEntry, DispatchEvent } from './dispatcher';
export { DEFAULT_DISPATCH_TEMPLATE, SEED_DISPATCH_TEMPLATE, expandTags, renderDispatchBody } from './dispatch-body';
export type { DispatchFormat, DispatchTemplate, RenderedBody } from './dispatch-body';
export { DEFAULT_VARIANT } from './variant';
export type { AccountVariant } from './variant';
export type { FaultSpec, FaultKind, ActiveFault } from './faults';
export type { NewKbCategory, NewKbArticle, KbArticlePatch } from './kb-store';
export type { LocalizedInput } from './localize';
export { HdeSimError } from './sim-error';
export type { HdeSimErrorCode } from './sim-error';
export { formatPostDate, formatTicketDate, formatSlaDate, parseTicketDate } from './format-dates';
export { seedDemo } from './seed';
export type { DemoSeed } from './seed';
export type * from './wire-types';
