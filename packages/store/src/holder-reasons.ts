/**
 * Why a ticket changed hands outside the pipeline, as kept in `dialogs.handoff_reason` and in
 * `dialog_holder_changes.reason`.
 */

/** A support agent took the ticket over in the admin app: the bot stays silent until it is returned. */
export const TAKEN_OVER_IN_ADMIN = 'taken_over_in_admin';
/** A support agent returned the ticket to the bot in the admin app. */
export const RETURNED_IN_ADMIN = 'returned_in_admin';
/** No staff reply for the configured quiet period (`takeover.afterAgentReply: resume_after`): the bot answers again. */
export const AGENT_QUIET = 'agent_quiet';
/** A staff member replied in HDE (the worker's classify stage). */
export const AGENT_REPLIED = 'agent_replied';
