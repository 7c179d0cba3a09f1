import { parseSkillSettings } from '@repo/domain';
import { clarifyQuestion, greetingReply, handoffNotice } from './handoff-notice';

const workingHours = { timezone: 'Europe/Moscow', days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' };
const skill = parseSkillSettings({ workingHours });
const inside = new Date('2025-05-14T07:00:00Z');
const fridayEvening = new Date('2025-05-16T16:00:00Z');

describe('handoffNotice', () => {
  it('says an operator will reply soon when a customer asks for one within working hours', () => {
    expect(handoffNotice({ reasons: ['operator_requested'], language: 'ru', skill, now: inside })).toBe(
      '<p>Хорошо, передаю ваше обращение оператору.</p><p>Он ответит вам в ближайшее время.</p>',
    );
  });

  it('gives the hours and the next opening outside working hours', () => {
    const html = handoffNotice({ reasons: ['no_kb_match'], language: 'ru', skill, now: fridayEvening });
    expect(html).toContain('Я не нашёл точного ответа');
    expect(html).toContain('Наши операторы работают Пн–Пт 09:00–18:00 (по Москве)');
    expect(html).toContain('в понедельник в 09:00');
  });

  it('fits the wording to complaints and speaks English and Ukrainian', () => {
    expect(handoffNotice({ reasons: ['complaint', 'negative_tone'], language: 'en', skill, now: inside })).toContain('We are sorry');
    expect(handoffNotice({ reasons: ['operator_requested'], language: 'uk', skill, now: inside })).toContain('передаю ваше звернення');
  });

  it('uses the skill override for the reason, with {hours} and {next}, escaped', () => {
    const custom = parseSkillSettings({
      workingHours,
      handoffMessages: { operator_requested: { ru: 'Зовём <людей>! Часы: {hours}, ответим {next}.', en: 'x' } },
    });
    expect(handoffNotice({ reasons: ['operator_requested'], language: 'ru', skill: custom, now: fridayEvening })).toBe(
      '<p>Зовём &lt;людей&gt;! Часы: Пн–Пт 09:00–18:00 (по Москве), ответим в понедельник в 09:00.</p>',
    );
  });

  it('says "soon" when the skill has no working hours', () => {
    const html = handoffNotice({ reasons: ['low_confidence'], language: 'en', skill: parseSkillSettings({}), now: fridayEvening });
    expect(html).toContain('They will reply to you shortly.');
  });
});

describe('clarifyQuestion and greetingReply', () => {
  const topics = parseSkillSettings({
    topics: [
      { id: 'delivery', name: 'Доставка' },
      { id: 'payment', name: 'Оплата' },
    ],
  });

  it('names the two topics in doubt', () => {
    const html = clarifyQuestion({
      candidates: [
        { id: 'delivery', score: 0.6 },
        { id: 'payment', score: 0.55 },
      ],
      language: 'ru',
      skill: topics,
    });
    expect(html).toBe('<p>Уточните, пожалуйста, ваш вопрос о «Доставка» или «Оплата»?</p>');
  });

  it('asks for detail when fewer than two topics are known', () => {
    expect(clarifyQuestion({ candidates: [], language: 'en', skill: topics })).toContain('tell me a little more');
  });

  it('greets back and asks how it can help', () => {
    expect(greetingReply('en', topics)).toBe('<p>Hello!</p><p>How can I help? Write your question and I will do my best to answer.</p>');
  });
});
