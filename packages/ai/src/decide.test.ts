import { parseSkillSettings, type Classification, type KbHit } from '@repo/domain';
import { decide, handOffForPersonRequest, withGeneratedAnswer, type DecideInput } from './decide';

const skill = parseSkillSettings({
  confidenceThreshold: 0.4,
  maxBotReplies: 3,
  blockedTopics: [{ id: 'legal', name: 'Юридические', keywords: ['суд', 'претензия', 'юрист'] }],
  topics: [
    { id: 'delivery', name: 'Доставка' },
    { id: 'payment', name: 'Оплата' },
  ],
});
const question = (over: Partial<Classification> = {}): Classification => ({
  intent: 'question',
  intentConfidence: 0.8,
  language: 'ru',
  tone: 'neutral',
  cleanText: 'сколько стоит доставка',
  ...over,
});
const hit: KbHit = { articleId: 5, passageId: 50, title: 'Доставка', passage: 'Доставка стоит 300 рублей.', score: 0.7 };
const input = (over: Partial<DecideInput> = {}): DecideInput => ({
  classification: question(),
  hits: [hit],
  skill,
  dialog: { state: 'bot', botReplies: 0 },
  replyMode: 'public',
  now: new Date('2025-05-14T07:00:00Z'),
  ...over,
});

describe('decide', () => {
  it('answers a confident KB match with a cited extractive answer', () => {
    const d = decide(input());
    expect(d).toMatchObject({ action: 'answer', reasons: ['kb_confident'], confidence: 0.7, citations: [5] });
    expect(d.replyHtml).toContain('Доставка стоит 300 рублей.');
  });

  it('stays silent once a human is involved or the ticket is closed', () => {
    expect(decide(input({ dialog: { state: 'agent', botReplies: 0 } }))).toEqual({ action: 'ignore', reasons: ['human_involved'] });
    expect(decide(input({ dialog: { state: 'handed_off', botReplies: 1 } }))).toEqual({ action: 'ignore', reasons: ['human_involved'] });
    expect(decide(input({ dialog: { state: 'closed', botReplies: 1 } }))).toEqual({ action: 'ignore', reasons: ['ticket_closed'] });
    expect(decide(input({ dialog: { state: 'bot', botReplies: 0, statusId: 'closed' } }))).toEqual({
      action: 'ignore',
      reasons: ['ticket_closed'],
    });
  });

  it('ignores when replies are off, and on spam, empty text and thanks', () => {
    expect(decide(input({ replyMode: 'off' })).reasons).toEqual(['reply_mode_off']);
    expect(decide(input({ classification: question({ intent: 'spam' }) })).reasons).toEqual(['spam']);
    expect(decide(input({ classification: question({ intent: 'empty', cleanText: '' }) })).reasons).toEqual(['empty']);
    expect(decide(input({ classification: question({ intent: 'thanks' }) }))).toEqual({ action: 'ignore', reasons: ['thanks'] });
  });

  it('hands attachment-only messages to a human', () => {
    const d = decide(input({ classification: question({ intent: 'empty', cleanText: '', attachmentOnly: true }) }));
    expect(d).toMatchObject({ action: 'handoff', reasons: ['attachment_only'] });
    expect(d.replyHtml).toContain('файл получен');
  });

  it('hands off an operator request whatever the KB says, recording every reason that applied', () => {
    const d = decide(input({ classification: question({ intent: 'operator_request', tone: 'negative' }) }));
    expect(d.action).toBe('handoff');
    expect(d.reasons).toEqual(['operator_requested', 'negative_tone']);
    expect(d.replyHtml).toContain('передаю ваше обращение оператору');
  });

  it('hands off complaints, and negative tone only when the skill says so', () => {
    expect(decide(input({ classification: question({ intent: 'complaint' }) })).reasons).toEqual(['complaint']);
    expect(decide(input({ classification: question({ tone: 'negative' }) })).reasons).toEqual(['negative_tone']);
    const lenient = { ...skill, handoffOnNegativeTone: false };
    expect(decide(input({ skill: lenient, classification: question({ tone: 'negative' }) })).action).toBe('answer');
  });

  it('hands a blocked topic to a human however confident the KB is', () => {
    const d = decide(input({ classification: question({ cleanText: 'подам в суд если не вернете' }), hits: [{ ...hit, score: 0.99 }] }));
    expect(d).toMatchObject({ action: 'handoff', reasons: ['policy_gate'] });
  });

  it('hands off a question asked again after a bot answer', () => {
    const dialog = { state: 'bot' as const, botReplies: 1, previousQuestions: ['Сколько стоит доставка?'] };
    expect(decide(input({ dialog, classification: question({ cleanText: 'так сколько стоит доставка???' }) })).reasons).toEqual([
      'repeated_question',
    ]);
    expect(decide(input({ dialog, classification: question({ cleanText: 'как оплатить картой' }) })).action).toBe('answer');
  });

  it('hands off after the maximum number of bot replies', () => {
    expect(decide(input({ dialog: { state: 'bot', botReplies: 3 } })).reasons).toEqual(['max_bot_replies']);
  });

  it('greets back with a question, not an uncited answer', () => {
    const d = decide(input({ classification: question({ intent: 'greeting', cleanText: 'Здравствуйте' }) }));
    expect(d).toMatchObject({ action: 'clarify', reasons: ['greeting'] });
    expect(d.replyHtml).toContain('Чем могу помочь?');
  });

  it('hands off when the KB has nothing or nothing good enough', () => {
    expect(decide(input({ hits: [] }))).toMatchObject({ action: 'handoff', reasons: ['no_kb_match'] });
    expect(decide(input({ hits: [{ ...hit, score: 0.39 }] }))).toMatchObject({
      action: 'handoff',
      reasons: ['low_confidence'],
      confidence: 0.39,
    });
  });

  it('asks which topic is meant when two are about equally likely and the skill allows it', () => {
    const classification = question({
      topicCandidates: [
        { id: 'delivery', score: 0.6 },
        { id: 'payment', score: 0.55 },
      ],
    });
    expect(decide(input({ classification })).action).toBe('answer');
    const d = decide(input({ classification, skill: { ...skill, clarifyOnAmbiguity: true } }));
    expect(d).toMatchObject({ action: 'clarify', reasons: ['ambiguous_topic'] });
    expect(d.replyHtml).toContain('«Доставка» или «Оплата»');
  });

  it('puts a grounded generated answer in place of the quote, or records the fallback', () => {
    const d = decide(input());
    expect(withGeneratedAnswer(d, { ok: true, html: '<p>gen</p>', citations: [5] })).toMatchObject({
      replyHtml: '<p>gen</p>',
      citations: [5],
    });
    expect(withGeneratedAnswer(d, { ok: false })).toMatchObject({
      replyHtml: d.replyHtml,
      reasons: ['kb_confident', 'llm_ungrounded'],
    });
    const h = decide(input({ hits: [] }));
    expect(withGeneratedAnswer(h, { ok: true, html: 'x', citations: [1] })).toBe(h);
  });

  it('turns an answer into a hand-off with the notice when the model reads a request for a person', () => {
    const d = decide(input());
    const notice = { language: input().classification.language, skill: input().skill, now: input().now };
    const out = handOffForPersonRequest(d, notice);
    expect(out).toMatchObject({ action: 'handoff', reasons: ['operator_requested', 'llm_person_requested'], confidence: d.confidence });
    expect(out.citations).toBeUndefined();
    expect(out.replyHtml).toBe(decide(input({ classification: { ...input().classification, intent: 'operator_request' } })).replyHtml);
  });

  it('turns a question back about the topic into a hand-off too, but never a greeting or a hand-off', () => {
    const notice = { language: input().classification.language, skill: input().skill, now: input().now };
    const classification = question({
      topicCandidates: [
        { id: 'delivery', score: 0.6 },
        { id: 'payment', score: 0.55 },
      ],
    });
    const back = decide(input({ classification, skill: { ...skill, clarifyOnAmbiguity: true } }));
    expect(back.action).toBe('clarify');
    expect(handOffForPersonRequest(back, notice)).toMatchObject({
      action: 'handoff',
      reasons: ['operator_requested', 'llm_person_requested'],
    });
    const greeting = decide(input({ classification: { ...input().classification, intent: 'greeting' } }));
    expect(greeting).toMatchObject({ action: 'clarify', reasons: ['greeting'] });
    expect(handOffForPersonRequest(greeting, notice)).toBe(greeting);
    const handoff = decide(input({ hits: [] }));
    expect(handOffForPersonRequest(handoff, notice)).toBe(handoff);
  });
});

describe('decide with two equally good articles', () => {
  const tied: KbHit[] = [
    {
      articleId: 7,
      passageId: 70,
      title: 'Возврат товара <надлежащего> качества',
      passage: 'Вернуть можно за 14 дней.',
      score: 0.3,
      unscaledScore: 0.6,
    },
    { articleId: 8, passageId: 80, title: 'Обмен и возврат брака', passage: 'Брак меняем за 7 дней.', score: 0.28, unscaledScore: 0.56 },
  ];

  it('asks which article the customer means when the skill allows clarifying', () => {
    const d = decide(input({ hits: tied, skill: { ...skill, clarifyOnAmbiguity: true } }));
    expect(d).toMatchObject({ action: 'clarify', reasons: ['ambiguous_topic'], citations: [7, 8] });
    expect(d.replyHtml).toContain('«Возврат товара &lt;надлежащего&gt; качества» или «Обмен и возврат брака»');
  });

  it('hands off as low confidence when clarifying is off or a tied article is weak on its own', () => {
    expect(decide(input({ hits: tied })).reasons).toEqual(['low_confidence']);
    const weak = [tied[0]!, { ...tied[1]!, unscaledScore: 0.2 }];
    expect(decide(input({ hits: weak, skill: { ...skill, clarifyOnAmbiguity: true } })).action).toBe('handoff');
  });
});
