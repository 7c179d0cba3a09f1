import { classifyStoredTurn, retrieveTurn, type Classifier, type TurnSearch } from '@repo/ai';
import { parseSkillSettings, type KbHit } from '@repo/domain';
import { jobIds, type JobHandler, type Producer } from '@repo/queue';
import type { DecisionsRepo, IntegrationsRepo, OrganizationsRepo, TurnStateRepo } from '@repo/store';
import type { TurnControl } from '../turns/turn-control';

/** Dependencies of the retrieve stage. */
export type RetrieveKbDeps = {
  /** The turn's claim of the pending messages: one statement. */
  turnState: Pick<TurnStateRepo, 'claim'>;
  decisions: Pick<DecisionsRepo, 'recordRetrieved'>;
  integrations: Pick<IntegrationsRepo, 'get'>;
  organizations: Pick<OrganizationsRepo, 'getSkill'>;
  /** The lexical knowledge-base search (the in-process index, see `createKbSearch`). */
  kb: TurnSearch;
  /**
   * Search used instead of `kb.search` when set: the hybrid (lexical + embeddings) retriever when
   * EMBEDDINGS_BASE_URL is configured. Same shape and 0..1 scores; falls back to lexical on its own.
   */
  retriever?: TurnSearch;
  /** The classifier (the worker's off-thread pool); the in-process `classify` when not given. */
  classify?: Classifier;
  decide: Pick<Producer<'decide'>, 'add'>;
  turns: Pick<TurnControl, 'end'>;
  topK?: number;
};

function best(hits: KbHit[]): number {
  return hits[0]?.score ?? 0;
}

/**
 * retrieve: takes every pending customer message of the ticket into the turn (a burst becomes one
 * question), classifies the turn as a whole and searches the skill's knowledge base. A short
 * follow-up ("а сколько это стоит?") is searched together with the previous question when alone
 * it finds too little.
 */
export const createRetrieveKbHandler =
  (deps: RetrieveKbDeps): JobHandler<'retrieve'> =>
  async (data, { logger }) => {
    const { owned, existing, messages, previousQuestion, claimedSeq } = await deps.turnState.claim(data.dialogId, data.turnId, {
      integrationId: data.integrationId,
    });
    // A job whose dialog is another integration's (its data is not ours to trust blindly): nothing
    // was claimed, and nothing of that dialog is touched.
    if (!owned) return { outcome: 'missing' };
    if (existing && existing.stage !== 'classified') {
      // A rerun after the search was saved: never move a decided turn back; just hand it on again.
      if (existing.stage === 'retrieved') await deps.decide.add(data, { jobId: jobIds.decide(data) });
      return { outcome: 'already_retrieved', stage: existing.stage };
    }
    if (messages.length === 0) {
      await deps.turns.end(data.integrationId, data.dialogId, data.turnId);
      return { outcome: 'nothing_pending' };
    }
    const integration = await deps.integrations.get(data.integrationId);
    if (!integration) {
      await deps.turns.end(data.integrationId, data.dialogId, data.turnId);
      return { outcome: 'missing_integration' };
    }
    const skillRow = await deps.organizations.getSkill(integration.skillId);
    const skill = parseSkillSettings(skillRow?.settings);
    // The pipeline core's steps (the same the admin test box and the evaluations run). A run that
    // dies before the record below claims again: the messages it claimed are the turn's already,
    // and whatever arrived meanwhile joins the turn, since nothing was decided yet.
    const classification = await classifyStoredTurn(messages, skill, deps.classify);
    const hits = await retrieveTurn(deps.retriever ?? deps.kb, {
      skillId: integration.skillId,
      skill,
      classification,
      limit: deps.topK ?? 5,
      previousQuestion: async () => previousQuestion,
    });
    await deps.decisions.recordRetrieved({
      dialogId: data.dialogId,
      turnId: data.turnId,
      messageIds: messages.map((m) => m.id),
      classification,
      kbHits: hits,
      ...(claimedSeq !== undefined ? { claimedSeq } : {}),
    });
    await deps.decide.add(data, { jobId: jobIds.decide(data) });
    logger.info('Knowledge base searched', {
      turnId: data.turnId,
      hits: hits.length,
      best: best(hits),
      mode: deps.retriever ? 'hybrid' : 'lexical',
    });
    return { outcome: 'retrieved', hits: hits.length, best: best(hits) };
  };
