/**
 * Built-in lexicon for knowledge bases written in Russian and asked in English, Russian slang or a
 * mix ("где мой order"). The `russian` text search configuration stems Latin words with the English
 * stemmer, but an English word can only match an English word, so questions in English found
 * nothing in a Russian knowledge base. Each key (a lowercase word as customers type it) lists the
 * Russian words that may stand for it; search treats them like a skill's synonym group. The words
 * are general customer-support and e-commerce vocabulary, not any one company's terms — those
 * belong in the skill's `synonyms` setting.
 */
export const KB_LEXICON: Readonly<Record<string, string>> = {
  // orders and delivery
  order: 'заказ', orders: 'заказ', ordered: 'заказ заказать', buy: 'купить покупка', bought: 'купить покупка', purchase: 'покупка купить',
  purchases: 'покупка', delivery: 'доставка', deliver: 'доставка доставить', delivered: 'доставка доставлен привезти', shipping: 'доставка',
  ship: 'доставка отправка', shipped: 'отправлен доставка', shipment: 'отправление доставка', courier: 'курьер', parcel: 'посылка',
  package: 'посылка заказ', arrive: 'прийти доставка', arrived: 'пришел прийти', arrival: 'доставка', track: 'отследить отслеживание трек',
  tracking: 'отслеживание трек', status: 'статус', address: 'адрес', cancel: 'отменить отмена', cancellation: 'отмена', change: 'изменить смена',
  modify: 'изменить', pickup: 'самовывоз пункт выдачи', 'pick-up': 'самовывоз пункт выдачи', locker: 'постамат', lockers: 'постамат',
  point: 'пункт', store: 'хранение магазин', keep: 'хранить хранение', storage: 'хранение', days: 'дней', day: 'день', long: 'срок',
  time: 'срок время', late: 'опоздание задержка', delay: 'задержка', delayed: 'задержка', express: 'экспресс', free: 'бесплатно бесплатный',
  cost: 'стоимость стоить', costs: 'стоимость стоить', price: 'цена стоимость', prices: 'цена', charge: 'стоимость плата', fee: 'плата стоимость',
  missing: 'не хватает недостача', wrong: 'не тот другой ошибка', item: 'товар', items: 'товар', product: 'товар', goods: 'товар',
  preorder: 'предзаказ', 'pre-order': 'предзаказ', region: 'регион', city: 'город',
  // payment
  pay: 'оплата оплатить', paid: 'оплата оплатить', payment: 'оплата платеж', payments: 'оплата платеж', card: 'карта', cards: 'карта',
  cash: 'наличные', invoice: 'счет', bill: 'счет', installment: 'рассрочка', installments: 'рассрочка', credit: 'кредит', loan: 'кредит',
  interest: 'процент переплата', bank: 'банк', refund: 'возврат деньги', refunds: 'возврат деньги', money: 'деньги', receipt: 'чек',
  receipts: 'чек', discount: 'скидка', promo: 'промокод', coupon: 'промокод купон', code: 'код промокод', bonus: 'бонус балл',
  points: 'балл бонус', loyalty: 'лояльность', gift: 'подарочный', certificate: 'сертификат', company: 'юридический организация компания',
  business: 'юридический организация', vat: 'ндс', accept: 'принимать', method: 'способ', methods: 'способ',
  // returns and quality
  return: 'возврат вернуть', returns: 'возврат', exchange: 'обмен обменять', replace: 'замена обмен', replacement: 'замена обмен',
  broken: 'сломался поломка брак повреждение', broke: 'сломался поломка', faulty: 'брак неисправность', defective: 'брак бракованный',
  defect: 'брак дефект', damaged: 'поврежден повреждение', damage: 'повреждение', cracked: 'трещина поврежден', scratched: 'царапина',
  warranty: 'гарантия гарантийный', guarantee: 'гарантия', repair: 'ремонт', fix: 'ремонт', policy: 'правила условия', quality: 'качество',
  // account and contacts
  account: 'аккаунт учетная запись кабинет', profile: 'профиль', login: 'вход войти', log: 'вход войти', password: 'пароль', forgot: 'забыл восстановление',
  reset: 'сбросить восстановление', phone: 'телефон', number: 'номер', email: 'почта email', 'e-mail': 'почта email', delete: 'удалить удаление',
  data: 'данные', personal: 'персональные личные', privacy: 'персональные конфиденциальность', app: 'приложение', application: 'приложение',
  notification: 'уведомление', notifications: 'уведомление', support: 'поддержка', operator: 'оператор', agent: 'оператор специалист',
  human: 'живой оператор', hours: 'часы режим работы', contact: 'связаться контакт', chat: 'чат',
  install: 'установка установить', installation: 'установка', setup: 'подключение установка', connect: 'подключение подключить',
  // goods commonly asked about
  tv: 'телевизор', laptop: 'ноутбук', smartphone: 'смартфон', fridge: 'холодильник', washer: 'стиральная машина',
  // Russian colloquial and shortened forms
  тыщ: 'тысяч', тыщи: 'тысячи', тыс: 'тысяч', щас: 'сейчас', пвз: 'пункт выдачи',
  ноут: 'ноутбук', телек: 'телевизор', тел: 'телефон', комп: 'компьютер', инет: 'интернет', спб: 'санкт-петербург', питер: 'санкт-петербург',
  мск: 'москва',
  // Russian words whose usual knowledge-base counterpart has another root or a stem the stemmer
  // leaves apart («стоит» → сто, «стоимость» → стоимост; «вернуть» → верн, «возврат»)
  стоит: 'стоимость цена', стоить: 'стоимость цена', стоят: 'стоимость цена', привезти: 'доставка', привезете: 'доставка',
  привезут: 'доставка', привезли: 'доставка', везти: 'доставка', везут: 'доставка', идет: 'доставка срок',
  вернуть: 'возврат', верните: 'возврат', сдать: 'возврат', сломался: 'поломка неисправность ремонт',
  сломалась: 'поломка неисправность ремонт',
  поменять: 'изменить смена замена', поменяю: 'изменить смена', заберу: 'забрать получить', забрать: 'получить', лк: 'личный кабинет', смс: 'sms', смска: 'sms', бабки: 'деньги', бабло: 'деньги',
};

/**
 * English words that carry no topic. The `russian` configuration removes Russian stop words only,
 * so without this list "how do I ..." would count "how", "do" and "i" as query words nobody matches.
 */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set(
  ('a an the and or but if of to in on at for from by with about into over after before is are was were be been being am do does did ' +
    'done have has had i me my mine we our us you your yours he she it its they them their this that these those what which who whom ' +
    'when where why how can could would should will shall may might must not no yes please there here u ur im its dont cant get got ' +
    'want need just still yet also so very too any some all much many hi hello thanks thank ok okay').split(' '),
);

/**
 * Russian question and filler words that carry no topic. The `russian` configuration already drops
 * «как», «где», «когда», «можно», «ли»; these it keeps, and they are the wording of almost every
 * question («сколько стоит», «подскажите, какие…»). A knowledge base seldom uses them, so IDF made
 * them the rarest — heaviest — words of a question: «Сколько действует гарантия» went to the one
 * passage that happened to say «сколько», and a question full of them covered too little of any
 * article to be answered. Matched on the lowercased word before stemming, with «ё» read as «е».
 */
export const RUSSIAN_STOP_WORDS: ReadonlySet<string> = new Set(
  ('сколько скока скоко сколька скольки какой какая какое какие каких каким какую каком почему зачем нужно нужен нужна нужны ' +
    'вообще пожалуйста пожалуйсто пжл плиз плз здравствуйте здраствуйте здрасте привет добрый доброе доброго подскажите подскажи ' +
    'скажите скажи хочу хотел хотела хотелось хотим могу можем можете может мочь это этот эта эти этого очень надо просто вот ' +
    'спасибо ок окей ладно типа кстати значит вопрос вопросик интересует узнать').split(' '),
);
