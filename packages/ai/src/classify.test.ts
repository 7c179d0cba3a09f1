import { parseSkillSettings } from '@repo/domain';
import { classify } from './classify';

const skill = parseSkillSettings({
  topics: [
    { id: 'delivery', name: 'Доставка', keywords: ['доставка', 'курьер', 'shipping'], examples: ['когда привезут заказ'] },
    { id: 'payment', name: 'Оплата', keywords: ['оплата', 'карта', 'счет'], examples: ['как оплатить заказ картой'] },
    { id: 'returns', name: 'Возврат', keywords: ['возврат', 'вернуть товар'], examples: [] },
  ],
});
const intentOf = (text: string): string => classify({ text, skill }).intent;

describe('classify: operator requests', () => {
  it.each([
    'позовите оператора',
    'хочу поговорить с человеком',
    'живой сотрудник есть?',
    'соедините со специалистом',
    'оператор!',
    'talk to a human',
    'real person please',
    'agent',
    'з оператором',
    'опертор',
    'аператор',
    'human pls',
    'хватит бота хочу оператора',
    "I don't want to chat with a bot",
    'есть кто живой?',
  ])('reads "%s" as an operator request', (text) => {
    expect(intentOf(text)).toBe('operator_request');
  });

  it.each([
    'какой у вас оператор связи',
    'оператор связи не ловит в офисе',
    'how do I add an agent to my account',
    'what is the email of your human resources department',
    'сколько операторов можно добавить на тарифе',
    'ваш оператор вчера сказал что заказ приедет сегодня',
    'спасибо оператору за помощь',
    'как сделать чтобы бот не отвечал ночью',
  ])('does not read "%s" as an operator request', (text) => {
    expect(intentOf(text)).not.toBe('operator_request');
  });

  it('fixes text typed in the wrong keyboard layout and still sees the request', () => {
    const c = classify({ text: 'gjpjdbnt jgthfnjhf', skill });
    expect(c).toMatchObject({ intent: 'operator_request', layoutFixed: true, cleanText: 'позовите оператора', language: 'ru' });
  });

  it('reads the request under a quoted reply and a signature in HDE HTML', () => {
    const html = '<p>Мне нужен оператор</p><p>С уважением,<br>Иван</p><blockquote>Чем могу помочь?</blockquote>';
    expect(classify({ html, skill })).toMatchObject({ intent: 'operator_request', cleanText: 'Мне нужен оператор' });
  });

  it('treats "да" after the bot offered an operator as a request', () => {
    expect(classify({ text: 'да', skill, history: ['Позвать оператора?'] }).intent).toBe('operator_request');
    expect(classify({ text: 'да', skill }).intent).not.toBe('operator_request');
  });
});

describe('classify: other intents', () => {
  it('reads a bare greeting as greeting, and a greeting with a question as a question', () => {
    expect(intentOf('Здравствуйте!')).toBe('greeting');
    expect(intentOf('hi')).toBe('greeting');
    expect(intentOf('Здравствуйте, Анна!')).toBe('greeting');
    expect(intentOf('Здравствуйте, подскажите, как оплатить заказ картой?')).toBe('question');
    expect(intentOf('привет а можно вернуть деньги если не подошел размер')).toBe('question');
  });

  it('reads thanks and closing remarks as thanks, but "спасибо, а как …?" as a question', () => {
    expect(intentOf('спасибо')).toBe('thanks');
    expect(intentOf('всё понятно, спасибо!')).toBe('thanks');
    expect(intentOf('ok thanks, got it')).toBe('thanks');
    expect(intentOf('дякую')).toBe('thanks');
    expect(intentOf('👍')).toBe('thanks');
    expect(intentOf('спасибо, а как отследить посылку?')).toBe('question');
    expect(intentOf('Спасибо, но товар так и не пришел')).toBe('question');
    expect(intentOf('cheers')).toBe('thanks');
  });

  it('reads complaints', () => {
    expect(intentOf('ужасный сервис, заказ третью неделю не приходит')).toBe('complaint');
    expect(intentOf('This is unacceptable, third time I write')).toBe('complaint');
  });

  it('reads links-only and advertising as spam', () => {
    expect(intentOf('https://bit.ly/3xYzAbC')).toBe('spam');
    expect(intentOf('ЗАРАБОТОК ОТ 100000 РУБ В МЕСЯЦ БЕЗ ВЛОЖЕНИЙ ПИШИТЕ В ТЕЛЕГРАМ')).toBe('spam');
    expect(intentOf('Earn $5000 a week from home! Click here http://spam.example')).toBe('spam');
    // A sum counts with its currency however many digits it has; a long number alone is no sum.
    expect(intentOf('Earn 250000usd a week at our casino! http://spam.example')).toBe('spam');
    expect(intentOf(`Earn at our casino, code ${'7'.repeat(3_000)}`)).not.toBe('spam');
  });

  it('reads an empty message as empty and marks attachment-only messages', () => {
    expect(classify({ html: '<p>&nbsp;</p>', skill })).toMatchObject({ intent: 'empty' });
    expect(classify({ html: '<p><br></p>', hasAttachments: true, skill })).toMatchObject({ intent: 'empty', attachmentOnly: true });
  });

  it('reads an ordinary question without punctuation as a question', () => {
    expect(intentOf('где найти договор оферты')).toBe('question');
  });
});

describe('classify: language, tone, topic', () => {
  it('tells Ukrainian from Russian', () => {
    expect(classify({ text: 'Вітаю! Скільки коштує доставка?', skill }).language).toBe('uk');
    expect(classify({ text: 'Сколько стоит доставка?', skill }).language).toBe('ru');
  });

  it('reads negative words, shouting and "!!!" as negative tone', () => {
    expect(classify({ text: 'это ужасно', skill }).tone).toBe('negative');
    expect(classify({ text: 'ГДЕ МОЙ ЗАКАЗ!!!', skill }).tone).toBe('negative');
    expect(classify({ text: 'где мой заказ', skill }).tone).toBe('neutral');
    expect(classify({ text: 'спасибо, отлично', skill }).tone).toBe('positive');
  });

  it('finds the skill topic through inflections and ranks the candidates', () => {
    const c = classify({ text: 'сколько стоит доставку курьером?', skill });
    expect(c.topic).toBe('delivery');
    expect(c.topicCandidates?.[0]?.id).toBe('delivery');
    expect(classify({ text: 'как вернуть товар', skill }).topic).toBe('returns');
    expect(classify({ text: 'как оплатить картой', skill }).topic).toBe('payment');
    expect(classify({ text: 'у вас есть приложение для андроид', skill }).topic).toBeUndefined();
  });
});

describe('classify, letters', () => {
  const skill = parseSkillSettings(undefined);
  it("reads a question between a letter's greeting and its thanks as a question, and thanks alone as thanks", () => {
    expect(classify({ text: 'Hi,\n\ncovid symptoms\n\nThanks in advance!', skill }).intent).toBe('question');
    expect(classify({ text: 'Доброго времени суток!\n\nкак вернуть товар\n\nЗаранее спасибо!', skill }).intent).toBe('question');
    expect(classify({ text: 'Здравствуйте! Спасибо за помощь', skill }).intent).toBe('thanks');
    expect(classify({ text: 'Деньги пришли. Спасибо большое!', skill }).intent).toBe('thanks');
    expect(classify({ text: 'Hi,\n\nThe parcel arrived today. Thanks a lot!', skill }).intent).toBe('thanks');
    expect(classify({ text: 'Доброго времени суток!', skill }).intent).toBe('greeting');
  });
});
