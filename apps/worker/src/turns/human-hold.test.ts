import type { DialogMessage } from '@repo/store';
import { newestMessageAt, quietPeriodOver, writtenBeforeReturn } from './human-hold';

const at = (iso: string) => new Date(iso);
const message = (id: number, createdAt: string) => ({ id, createdAt: at(createdAt) }) as DialogMessage;
const resume = { afterAgentReply: 'resume_after', resumeAfterMinutes: 30 } as const;
const agent = { state: 'agent', handoffReason: 'agent_replied', lastAgentAt: at('2026-01-01T10:00:00Z') } as const;

describe('who may answer a turn after a person held the ticket', () => {
  it('takes the newest of the turn’s own messages', () => {
    const messages = [message(1, '2026-01-01T09:00:00Z'), message(2, '2026-01-01T11:00:00Z'), message(3, '2026-01-01T12:00:00Z')];
    expect(newestMessageAt(messages, [1, 2])).toEqual(at('2026-01-01T11:00:00Z'));
    expect(newestMessageAt(messages, [9])).toBeUndefined();
  });

  it('leaves messages written before the ticket was returned unanswered, and answers later ones', () => {
    const dialog = { state: 'bot', returnedAt: at('2026-01-01T10:00:00Z') } as const;
    expect(writtenBeforeReturn(dialog, at('2026-01-01T09:59:59Z'))).toBe(true);
    expect(writtenBeforeReturn(dialog, at('2026-01-01T10:00:01Z'))).toBe(false);
    expect(writtenBeforeReturn({ state: 'bot', returnedAt: null }, at('2026-01-01T09:00:00Z'))).toBe(false);
  });

  it('resumes only with resume_after, after a staff reply, once the turn’s message came the quiet period after it', () => {
    expect(quietPeriodOver(agent, resume, at('2026-01-01T10:30:00Z'))).toBe(true);
    expect(quietPeriodOver(agent, resume, at('2026-01-01T10:29:59Z'))).toBe(false);
    expect(quietPeriodOver(agent, { ...resume, afterAgentReply: 'silent' }, at('2026-01-02T10:00:00Z'))).toBe(false);
    expect(quietPeriodOver({ ...agent, handoffReason: 'taken_over_in_admin' }, resume, at('2026-01-02T10:00:00Z'))).toBe(false);
    expect(quietPeriodOver({ ...agent, state: 'handed_off' }, resume, at('2026-01-02T10:00:00Z'))).toBe(false);
  });
});
