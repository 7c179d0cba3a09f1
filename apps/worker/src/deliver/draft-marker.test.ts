import { parseIntegrationSettings } from '@repo/domain';
import type { HdeClient } from '@repo/hde-client';
import type { Dialog, Integration, TurnDecision } from '@repo/store';
import { draftNoteHtml } from './draft-marker';
import { planActions } from './plan-actions';

describe('draft notes', () => {
  const plan = (replyMode: 'public' | 'note', language: string) =>
    planActions({
      turn: {
        turnId: 't1',
        action: 'answer',
        replyHtml: '<p>Картой или по счёту.</p>',
        classification: { intent: 'question', language, tone: 'neutral' },
        reasons: [],
      } as unknown as TurnDecision,
      dialog: { id: 1, ticketId: 42 } as unknown as Dialog,
      integration: { botUserId: 7, settings: {} } as unknown as Integration,
      settings: parseIntegrationSettings({}),
      hde: {} as HdeClient,
      questions: [],
      assignTo: {},
      replyMode,
    });

  it('start with a bot-draft marker in the answer’s language; public replies carry none', () => {
    const [draft] = plan('note', 'ru');
    expect(draft).toMatchObject({ kind: 'note', key: 'draft' });
    expect(String(draft!.request.text)).toMatch(/^<p><b>Черновик ИИ-консультанта — проверьте и отправьте<\/b><\/p>\n<p>Картой/);
    expect(String(plan('note', 'en')[0]!.request.text)).toMatch(/^<p><b>AI consultant draft/);
    const [reply] = plan('public', 'ru');
    expect(reply).toMatchObject({ kind: 'reply', request: { text: '<p>Картой или по счёту.</p>' } });
  });

  it('falls back to Russian for other languages', () => {
    expect(draftNoteHtml('<p>x</p>', 'other')).toContain('Черновик ИИ-консультанта');
  });
});
