import { decideTurn, type ReplyComposer } from '@repo/ai';
import { turnIdsMatch } from '../turns/job-ids';
import { parseIntegrationSettings, parseSkillSettings, type Decision } from '@repo/domain';
import { jobIds, type JobHandler, type Producer } from '@repo/queue';
import {
  AGENT_QUIET,
  type DecisionsRepo,
  type DialogHolderRepo,
  type IntegrationsRepo,
  type OrganizationsRepo,
  type TurnStateRepo,
} from '@repo/store';
import type { TurnControl } from '../turns/turn-control';
import { outOfScopeReasons } from '../turns/scope';
import { newestMessageAt, quietPeriodOver, writtenBeforeReturn } from '../turns/human-hold';

/** Dependencies of the decide stage. */
export type DecideTurnDeps = {
  /** The turn, its dialog, the dialog's messages and decisions: one read. */
  turnState: Pick<TurnStateRepo, 'read'>;
  decisions: Pick<DecisionsRepo, 'update'>;
  /** The bot taking a ticket back after its agents went quiet (`takeover.afterAgentReply`). */
  dialogHolder: Pick<DialogHolderRepo, 'resumeAfterQuiet'>;
  integrations: Pick<IntegrationsRepo, 'get'>;
  organizations: Pick<OrganizationsRepo, 'getSkill'>;
  composer: ReplyComposer;
  deliver: Pick<Producer<'deliver'>, 'add'>;
  turns: Pick<TurnControl, 'end'>;
  now?: () => Date;
};

/**
 * decide: applies the skill's policy to what the turn is and what the KB found (answer, hand off,
 * ask to clarify, or stay silent, with every reason), composes the reply, and hands it to deliver.
 */
export const createDecideTurnHandler =
  (deps: DecideTurnDeps): JobHandler<'decide'> =>
  async (data, { logger }) => {
    const state = await deps.turnState.read(data.dialogId, data.turnId);
    const { turn } = state;
    let dialog = state.dialog;
    const integration = await deps.integrations.get(data.integrationId);
    if (!turn || !dialog || !integration || !turn.classification) return { outcome: 'missing' };
    if (!turnIdsMatch(integration, dialog, turn)) return { outcome: 'missing' };
    if (turn.stage === 'decided') {
      // A rerun after the decision was recorded but before deliver was enqueued (e.g. Redis failed
      // in between): the turn's messages are already `in_turn`, so nothing else would ever pick them
      // up. Finish the hand-over; the deterministic job id makes a repeated add a no-op.
      if (turn.action === 'ignore') await deps.turns.end(data.integrationId, data.dialogId, data.turnId);
      else await deps.deliver.add(data, { jobId: jobIds.deliver(data) });
      return { outcome: 'already_decided', action: turn.action };
    }
    if (turn.stage !== 'retrieved') return { outcome: 'already_decided', action: turn.action };
    const skill = parseSkillSettings((await deps.organizations.getSkill(integration.skillId))?.settings);
    const hits = turn.kbHits ?? [];

    // The questions the bot already answered in this ticket, to notice a repeated question.
    const answeredTurns = state.decisions.filter((d) => d.action === 'answer' && d.turnId !== turn.turnId);
    const answeredIds = new Set(answeredTurns.flatMap((d) => d.messageIds));
    const history = state.messages;
    const previousQuestions = history.filter((m) => answeredIds.has(m.id)).map((m) => m.text);

    const now = deps.now?.() ?? new Date();
    const settings = parseIntegrationSettings(integration.settings);
    // The integration's working hours, when set, override the skill's for hand-off notices.
    const policy = settings.workingHours ? { ...skill, workingHours: settings.workingHours } : skill;
    const outOfScope = outOfScopeReasons(settings.scope, dialog);
    // Who may answer is judged on when the turn's messages were written: those written while a
    // person held the ticket stay unanswered after it is returned, and a message written after the
    // agents' quiet period gives the ticket back to the bot (when the integration says so).
    const newest = newestMessageAt(history, turn.messageIds);
    const beforeReturn = writtenBeforeReturn(dialog, newest);
    if (!beforeReturn && !outOfScope && dialog.lastAgentAt && quietPeriodOver(dialog, settings.takeover, newest)) {
      if (await deps.dialogHolder.resumeAfterQuiet(dialog.id, dialog.lastAgentAt)) {
        dialog = { ...dialog, state: 'bot', handoffReason: AGENT_QUIET };
        logger.info('No staff reply for the quiet period: the bot answers the ticket again', {
          dialogId: dialog.id,
          quietMinutes: settings.takeover.resumeAfterMinutes,
        });
      }
    }
    let decision: Decision = beforeReturn
      ? { action: 'ignore', reasons: ['human_involved'] }
      : outOfScope
        ? { action: 'ignore', reasons: outOfScope }
        : decideTurn({
            classification: turn.classification,
            hits,
            skill: policy,
            dialog: { state: dialog.state, botReplies: dialog.botReplies, statusId: dialog.statusId ?? undefined, previousQuestions },
            replyMode: integration.replyMode,
            now,
          });

    // The model gets the turn's messages as the question; its "dialog so far" is what came before them.
    const firstOfTurn = Math.min(...turn.messageIds);
    const before = history.filter((m) => m.id < firstOfTurn);
    decision = await deps.composer.refine({ decision, classification: turn.classification, hits, skill: policy, history: before, now });

    await deps.decisions.update(data.turnId, {
      stage: 'decided',
      action: decision.action,
      reasons: decision.reasons,
      confidence: decision.confidence ?? null,
      replyHtml: decision.replyHtml ?? null,
      citations: decision.citations ?? [],
      // Kept with the decision: deliver never posts more publicly than the mode decided in.
      replyMode: integration.replyMode,
    });
    logger.info('Turn decided', { turnId: data.turnId, action: decision.action, reasons: decision.reasons });
    if (decision.action === 'ignore') {
      await deps.turns.end(data.integrationId, data.dialogId, data.turnId);
      return { outcome: 'ignore', reasons: decision.reasons };
    }
    await deps.deliver.add(data, { jobId: jobIds.deliver(data) });
    return { outcome: decision.action, reasons: decision.reasons };
  };
