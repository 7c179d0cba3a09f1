export { createHdeClient } from './hde-client';
export type { HdeClient, HdeClientOptions, HdeClientLogger, HdeClientStats, HdeWriteOptions } from './hde-client';
export { HdeApiError, isHdeApiError, isTicketGone, HDE_API_ERROR_CODE } from './hde-api.error';
export type { HdeErrorReason, HdeMethod, HdeApiErrorInit } from './hde-api.error';
export { classifyHttpFailure, classifyTransportFailure, isBanResponse, readHdeErrors, DEFAULT_BAN_PAUSE_MS } from './hde-error-classify';
export type { HttpFailure, TransportFailure, HdeErrorEntry } from './hde-error-classify';
export { parseHdeDate, formatHdeDate, formatHdePostDate, DEFAULT_HDE_TZ_OFFSET_MINUTES } from './hde-dates';
export { offsetMinutesAt, wallClockToUtc, utcToWallClock } from './time-zone';
export { inspectBotAccount, checkTimeZone, checkTimeZoneFromWebhooks, zonesAtOffset } from './bot-account';
export type { BotAccount, BotAccountWarning, BotAccountProblem, TimeZoneCheck } from './bot-account';
export type { HdeZone } from './time-zone';
export { readRateLimitHeaders } from './budget';
export type { HdeBudget, HdeBudgetObservation } from './budget';
export { createPacedBudget } from './paced-budget';
export { createSharedAccountBudgets, waitingBudget, BudgetWaitTooLongError } from './account-budget';
export type { AccountBudgetRedis, AccountPause, SharedAccountBudgetOptions, SharedAccountBudgets } from './account-budget';
export type { PacedBudgetOptions } from './paced-budget';
export { backoffDelayMs, parseRetryAfterMs, DEFAULT_RETRY_POLICY } from './retry';
export type { RetryPolicy } from './retry';
export { pickLocalised } from './localised';
export { staffGroupIds, BUILT_IN_STAFF_GROUP_IDS } from './staff-groups';
export { HDE_SYSTEM_KB_CATEGORY_IDS } from './kb-system-categories';
export type {
  HdeLocalised,
  HdePagination,
  HdePage,
  HdeCustomFieldValue,
  HdeFile,
  HdeTicket,
  HdePost,
  HdeComment,
  HdeUserGroup,
  HdeUser,
  HdeDepartment,
  HdeStatus,
  HdeCustomField,
  HdeKbCategory,
  HdeKbArticle,
  HdeTicketListFilter,
  HdeTicketUpdate,
  HdeMessageInput,
  HdeUserListFilter,
  HdeRateLimitInfo,
} from './hde-types';
export {
  createBanWatch,
  accountKeyOf,
  type BanWatch,
  type BanWatchOptions,
  type BanWatchRedis,
  type ProbeVerdict,
  type SuspectedBan,
} from './ban-watch';
export { HDE_PRIVATE_NETWORK_CODE, isPrivateNetworkRefusal } from './network-guard';
