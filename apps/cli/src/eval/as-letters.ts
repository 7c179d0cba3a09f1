import type { EvalQuery } from './eval-kb';

/**
 * How a customer's e-mail opens and closes, one list per alphabet. Written for this check: the
 * support sets' questions are chat lines, while a help desk such as HDE receives many of its tickets
 * as letters, where the same question sits between a greeting and a signature.
 */
const OPENINGS = {
  cyrillic: [
    'Здравствуйте!',
    'Добрый день.',
    'Доброго времени суток!',
    'Приветствую!',
    'Добрый вечер,',
    'Доброго дня!',
    'Уважаемая поддержка,',
  ],
  latin: ['Hello,', 'Hi there,', 'Good afternoon,', 'Dear support team,', 'Hi,', 'Good morning!', 'Hello team,'],
};
const CLOSINGS = {
  cyrillic: [
    'С уважением,\nАндрей Ким',
    'Спасибо,\nИрина Соколова\nменеджер по закупкам, ООО «Север»\n+7 912 000-11-22',
    'Заранее спасибо!\nОльга Петрова\n+7 903 555-12-12',
    'Отправлено из мобильной Почты Mail.ru',
    'Хорошего дня,\nМарина Лебедева\nГлавный специалист\nАО «Импульс»',
    'Заранее благодарю за ответ.',
    'Дякую,\nОлена Шевчук\nТОВ «Світанок», бухгалтер',
  ],
  latin: [
    'Best regards,\nAnna Miller',
    'Thanks,\nPaul Henderson\nRegional Sales Manager\nNorwick Storage Ltd',
    'Many thanks,\nJohn Carter\n+44 20 7946 0000',
    'Sent from my iPhone',
    'Kind regards,\nMaria Lopez\nOffice Manager, Acme LLC',
    'Thanks in advance!',
    'Cheers,\nTom',
  ],
};

/**
 * The query written as a letter: an opening line, the question, and a sign-off with a signature,
 * chosen by the question's position (the same every run) and alphabet. `eval:answers --as-letters`
 * runs a set this way beside its plain run, to show what a letter's framing costs the answers.
 */
export function asLetter(query: EvalQuery, position: number): EvalQuery {
  const alphabet = /[\u0400-\u04ff]/u.test(query.query) ? 'cyrillic' : 'latin';
  const opening = OPENINGS[alphabet][position % OPENINGS[alphabet].length] as string;
  // The closing moves on with each question and once more after each round of openings, so
  // neighbouring questions get different closings and each opening meets every closing over a set.
  const n = OPENINGS[alphabet].length;
  const closing = CLOSINGS[alphabet][(position + Math.floor(position / n)) % CLOSINGS[alphabet].length] as string;
  return { ...query, query: `${opening}\n\n${query.query}\n\n${closing}` };
}
