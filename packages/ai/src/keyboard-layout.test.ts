import { fixKeyboardLayout, latinToCyrillicLayout } from './keyboard-layout';

describe('fixKeyboardLayout', () => {
  it('maps QWERTY keys to the Russian layout', () => {
    expect(latinToCyrillicLayout('ghbdtn')).toBe('привет');
    expect(latinToCyrillicLayout('vtytl;th')).toBe('менеджер');
  });

  it.each([
    ['jgthfnjh', 'оператор'],
    ['gjpjdbnt jgthfnjhf', 'позовите оператора'],
    ['[jxe gjujdjhbnm c xtkjdtrjv', 'хочу поговорить с человеком'],
    ['rfr jgkfnbnm pfrfp', 'как оплатить заказ'],
    ['yt hf,jnftn jgkfnf', 'не работает оплата'],
  ])('converts %s typed in the wrong layout to %s', (typed, meant) => {
    expect(fixKeyboardLayout(typed)).toEqual({ text: meant, fixed: true });
  });

  it.each([
    'hello',
    'agent',
    'human pls',
    'talk to a human',
    'kak oplatit zakaz',
    "the human verification captcha doesn't load",
    'how do I export tickets to csv',
    'Earn $5000 a week! http://spam.example',
  ])('leaves real English, transliteration and links alone: %s', (text) => {
    expect(fixKeyboardLayout(text)).toEqual({ text, fixed: false });
  });

  it('keeps the dots and commas after a converted word', () => {
    expect(fixKeyboardLayout('jgthfnjh...')).toEqual({ text: 'оператор...', fixed: true });
    expect(fixKeyboardLayout('.,.,')).toEqual({ text: '.,.,', fixed: false });
  });

  it('reads the shifted keys after a converted word as the Russian layout types them', () => {
    // Shift+7 is "?" and Shift+/ is "," in the Russian layout: the question mark arrives as "&".
    expect(fixKeyboardLayout('Ghbdtn? ns ;bdjq xtkjdtr&')).toEqual({ text: 'Привет, ты живой человек?', fixed: true });
    expect(fixKeyboardLayout('vfcnthf vj;yj gjpdfnm&').text).toBe('мастера можно позвать?');
    expect(fixKeyboardLayout('what? is this')).toEqual({ text: 'what? is this', fixed: false });
    expect(fixKeyboardLayout('cost is 5$ & tax?')).toEqual({ text: 'cost is 5$ & tax?', fixed: false });
  });

  it('converts a run of Latin words inside Cyrillic text when the run as a whole leans Russian', () => {
    // Short words ("c", "nj", "bp") are too weak a sign alone, not beside their neighbours.
    expect(fixKeyboardLayout('можно c rtv nj bp cjnhelybrjd поговорить').text).toBe('можно с кем то из сотрудников поговорить');
    expect(fixKeyboardLayout('Собеседование завтра!! gecnm rjjhlbyfnjh vyt срочно yfgbitn d djncfg').text).toBe(
      'Собеседование завтра!! пусть координатор мне срочно напишет в вотсап',
    );
    // English, brands and models in capitals stay.
    expect(fixKeyboardLayout('я купил iPhone case вчера').fixed).toBe(false);
    expect(fixKeyboardLayout('заказ через app store не проходит').fixed).toBe(false);
    expect(fixKeyboardLayout('у меня тягач DAF XF и тент').fixed).toBe(false);
    // Letters glued to digits belong to a code: "cfbb" would read "саии".
    expect(fixKeyboardLayout('Код клиента cnrytestboxapi98648cfbb6.').fixed).toBe(false);
    expect(fixKeyboardLayout('заказ EM98648cfbb6 не пришёл').fixed).toBe(false);
  });

  it('converts a clearly Russian word typed in Latin inside Cyrillic text', () => {
    expect(fixKeyboardLayout('позовите jgthfnjhf')).toEqual({ text: 'позовите оператора', fixed: true });
    expect(fixKeyboardLayout('как оплатить pls').fixed).toBe(false);
  });
});
