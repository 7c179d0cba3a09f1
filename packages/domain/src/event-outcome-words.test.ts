import { DECISION_WORDS, decisionWord } from './decision-words';
import { EVENT_OUTCOME_WORDS, eventOutcomeWord, type EventOutcome } from './event-outcome-words';

const CYRILLIC = /[а-яё]/i;

// Every member of the union, spelled out: the words table must not be its own witness.
const OUTCOMES: Record<EventOutcome, true> = {
  customer: true,
  agent: true,
  automation: true,
  echo: true,
  known_post: true,
  no_ticket: true,
  post_not_found: true,
  ticket_gone: true,
  ticket_trashed: true,
  quarantined: true,
};

describe('event outcome words', () => {
  it.each(Object.keys(OUTCOMES))('%s reads in Russian and in English', (outcome) => {
    const ru = eventOutcomeWord('ru', outcome);
    const en = eventOutcomeWord('en', outcome);
    expect(ru).toMatch(CYRILLIC);
    expect(en).toMatch(/[a-z]{2}/i);
    expect(en).not.toMatch(CYRILLIC);
    // Not a code left as it is.
    expect(`${ru} ${en}`).not.toContain('_');
  });

  it('words an outcome that is also a skip reason as the reason is worded', () => {
    const shared = Object.keys(EVENT_OUTCOME_WORDS).filter((code) => Object.hasOwn(DECISION_WORDS.reason, code));
    expect(shared).toEqual(expect.arrayContaining(['ticket_gone', 'ticket_trashed']));
    for (const code of shared) {
      for (const locale of ['ru', 'en'] as const) expect(eventOutcomeWord(locale, code)).toBe(decisionWord(locale, 'reason', code));
    }
  });

  it('has no words for a code it does not know, nor for what every object has', () => {
    expect(eventOutcomeWord('ru', 'some_new_outcome')).toBeUndefined();
    expect(eventOutcomeWord('en', 'constructor')).toBeUndefined();
  });
});
