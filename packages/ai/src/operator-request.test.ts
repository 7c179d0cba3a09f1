import {
  OPERATOR_REQUEST_MODEL,
  operatorRequestProbability,
  readOperatorRequest,
  readOperatorRequestRules,
  requestSentences,
  transliterateToCyrillic,
} from './operator-request';
import { isComplaint } from './intent-rules';

const isRequest = (text: string): boolean => readOperatorRequest(text).isRequest;

describe('readOperatorRequest', () => {
  it('reads asking to be put in touch as a request, asking for a number as a question', () => {
    expect(readOperatorRequestRules('i want to get in touch').rule).toBe('reach-us');
    expect(isRequest('contact support')).toBe(true);
    expect(isRequest('хочу связаться с поддержкой')).toBe(true);
    expect(isRequest('какой у вас телефон горячей линии')).toBe(false);
    expect(isRequest('how do I contact support to change my plan settings')).toBe(false);
  });

  it('leaves "nobody answers" to the complaint intent, which is handed off as well', () => {
    expect(isComplaint('No one is answering')).toBe(true);
    expect(isComplaint('call centre not picking up')).toBe(true);
    expect(isComplaint('the page is unavailable after the update')).toBe(false);
  });

  it('knows техподдержка and диспетчер as people, "anyone available" as a presence call, a virtual assistant as a bot', () => {
    expect(isRequest('соедините с техподдержкой')).toBe(true);
    expect(isRequest('позовите диспетчера')).toBe(true);
    expect(isRequest('is anyone available to assist')).toBe(true);
    expect(readOperatorRequestRules('не надо мне виртуального помощника').rule).toBe('bot-rejected');
  });

  it('counts weak entities ("кто-нибудь", "люди", "someone") only with a verb, a presence question or as a bare call', () => {
    expect(isRequest('позовите кого-нибудь')).toBe(true);
    expect(isRequest('can someone from your team call me?')).toBe(true);
    expect(isRequest('люди, ау')).toBe(true);
    expect(isRequest('кто-нибудь знает, когда доставка?')).toBe(false);
    expect(isRequest('people say your app is slow')).toBe(false);
  });

  it('reads "someone" with a need as a request for a person', () => {
    expect(isRequest('мне нужен кто-то, кто разберётся с возвратом')).toBe(true);
    expect(isRequest('I need someone to look at my order')).toBe(true);
  });

  it('knows more person words: представитель, руководитель, инженер, чел', () => {
    expect(readOperatorRequest('соедините с представителем').rule).toBe('entity+verb');
    expect(isRequest('свяжите меня с руководителем')).toBe(true);
    expect(isRequest('чел нужен')).toBe(true);
  });

  it('scopes a refusal to its clause: a negated want refuses the entity next to it', () => {
    expect(isRequest('оператор не нужен')).toBe(false);
    expect(isRequest('не надо менеджера, просто ответьте')).toBe(false);
    expect(isRequest('no need to connect me to anyone')).toBe(false);
    expect(isRequest("I don't need an agent, thanks")).toBe(false);
    // The refusal of the bot does not refuse the operator asked for in the next clause.
    expect(isRequest('не хочу с ботом, хочу с менеджером')).toBe(true);
  });

  it('reads callbacks with a person as requests', () => {
    expect(isRequest('перезвоните мне кто-нибудь')).toBe(true);
    expect(isRequest('хочу, чтобы со мной связался специалист')).toBe(true);
    expect(isRequest('жду связи со специалистом')).toBe(true);
    expect(isRequest('I would like a callback from an agent')).toBe(true);
  });

  it('reads short presence questions: "где оператор?", "живые люди есть?"', () => {
    // The rules read this as a presence question; the combined detector does not, because the learned
    // model's veto (p < 0.1: "сколько" is mostly an admin word in training) overrules it. A known cost
    // of the veto chosen by cross-validation, see README.
    expect(readOperatorRequestRules('где менеджер?? сколько ждать').isRequest).toBe(true);
    expect(readOperatorRequest('где менеджер?').isRequest).toBe(true);
    expect(readOperatorRequest('тут есть кто-нибудь из специалистов?').rule).toBe('presence-question');
    expect(isRequest('Где отозвать согласие на обработку персональных данных оператором?')).toBe(false);
  });

  it('judges "little more than the entity" per clause, so a blunt request may carry a story', () => {
    expect(isRequest('Менеджера мне, быстро! Заказ не пришёл')).toBe(true);
    expect(isRequest('специалиста можно? Вопрос по счёту')).toBe(true);
    expect(isRequest('Отзыв: оператор Мария, лучшая')).toBe(false);
    // A relative clause stays with its entity, so the past verb in it still makes a story.
    expect(isRequest('Оператор, который мне звонил, не представился')).toBe(false);
  });

  it('treats a named or thanked agent as a story, not a call', () => {
    expect(isRequest('передайте спасибо оператору Ольге, всё решила')).toBe(false);
    expect(isRequest('оператор Мария очень помогла')).toBe(false);
  });

  it('reads bot dismissals and "anyone besides the bot" as requests, but not product robots', () => {
    expect(isRequest('бот, отстань')).toBe(true);
    expect(isRequest('robot, go away')).toBe(true);
    expect(isRequest('ответит кто-нибудь кроме робота?')).toBe(true);
    expect(isRequest('робот-пылесос не включается, не заряжается')).toBe(false);
  });

  it('reads Russian typed in Latin letters', () => {
    expect(transliterateToCyrillic('chelovekom')).toBe('человеком');
    expect(transliterateToCyrillic('dayte')).toBe('дайте');
    expect(isRequest('soedinite s operatorom pozhaluysta')).toBe(true);
    expect(isRequest('kto-nibud zhivoy est?')).toBe(true);
    expect(isRequest('nuzhen menedzher')).toBe(true);
  });

  it('does not read configuration questions about routing to operators as requests', () => {
    expect(isRequest('как подключить оператора к чату в админке?')).toBe(false);
    expect(isRequest('Как настроить перевод диалога на оператора?')).toBe(false);
    expect(isRequest('how do I move a chat to another agent in the dashboard?')).toBe(false);
    // A ticket passed on by request is a request; the same in a how-to question is about the tool.
    expect(isRequest('прошу передать заявку специалисту')).toBe(true);
    expect(isRequest('как передать заявку другому специалисту')).toBe(false);
  });

  it('reads other senses as no request: carriers, machines, jobs, syntax, third parties, head counts', () => {
    expect(isRequest('хочу уйти от другого оператора к вам, что нужно?')).toBe(false);
    expect(isRequest('оператор экскаватора нужен на объект')).toBe(false);
    expect(isRequest('хочу устроиться к вам специалистом')).toBe(false);
    expect(isRequest('оператор + не работает в поиске')).toBe(false);
    expect(isRequest('можно ли оплатить за другого человека?')).toBe(false);
    expect(isRequest('столик на 2 человека, пожалуйста')).toBe(false);
    // "another" still counts with an explicit verb.
    expect(isRequest('переключите на другого оператора')).toBe(true);
  });

  it('reads a request to be called back as a request, the customer calling the company as a question', () => {
    expect(readOperatorRequestRules('перезвоните мне, пожалуйста, по поводу счёта').rule).toBe('callback');
    expect(isRequest('прошу перезвонить насчёт доставки, я дома после шести')).toBe(true);
    expect(isRequest('хочу, чтобы мне позвонили, писать долго')).toBe(true);
    expect(isRequest('нехай мені зателефонує хтось із бухгалтерії')).toBe(true);
    expect(isRequest('could you call me back tomorrow morning?')).toBe(true);
    expect(isRequest('please contact me about the invoice')).toBe(true);
    expect(isRequest('можно ли позвонить вам в субботу?')).toBe(false);
    expect(isRequest('не звоните мне больше, пишите в чат')).toBe(false);
    expect(isRequest('как позвонить в службу доставки?')).toBe(false);
    expect(isRequest('what is the call centre phone number')).toBe(false);
  });

  it('reads a short "let me talk" and "who can I talk to" as requests, talk about a topic as no request', () => {
    expect(readOperatorRequestRules('talk').rule).toBe('talk');
    expect(isRequest('I want talk')).toBe(true);
    expect(isRequest('хочу поговорить')).toBe(true);
    expect(isRequest('the app keeps crashing. who can I speak to?')).toBe(true);
    expect(isRequest('I want to talk about the new pricing plans for schools')).toBe(false);
    expect(isRequest('не хочу говорить')).toBe(false);
  });

  it('reads a person or support that does not answer as a hand-off, a customer who does not answer as none', () => {
    expect(readOperatorRequestRules('специалист вообще не отвечает').rule).toBe('person-silent');
    expect(isRequest('поддержка молчит второй день')).toBe(true);
    expect(isRequest('the agent is not responding')).toBe(true);
    expect(isRequest('клиент не отвечает оператору, как закрыть заявку?')).toBe(false);
    expect(isRequest('оператор связи не отвечает на звонки, у меня нет сети')).toBe(false);
  });

  it('sends back to a person a case a person already handles, unless it was settled', () => {
    expect(readOperatorRequestRules('уже смотрел инженер').rule).toBe('already-with-person');
    expect(isRequest('инженер уже приезжал, а роутер опять не работает')).toBe(true);
    expect(isRequest('менеджер уже помог, спасибо')).toBe(false);
    expect(isRequest('с вашим сотрудником уже всё согласовали, ждём счёт на почту')).toBe(false);
  });

  it('reads urgency with nothing else to go on as a request, urgent delivery as a question', () => {
    expect(readOperatorRequestRules('This is really urgent').rule).toBe('urgent');
    expect(isRequest('I need urgent help with my account')).toBe(true);
    expect(isRequest('это срочно!!')).toBe(true);
    expect(isRequest('нужна срочная помощь, не проходит оплата')).toBe(true);
    expect(isRequest('is urgent delivery available to Kazan?')).toBe(false);
    expect(isRequest('how do I mark a ticket as urgent?')).toBe(false);
  });

  it('knows slang and misspelt person words: спец, руководство, главный, "coustmer executive"', () => {
    expect(isRequest('нужен спец, сам не разберусь с роутером')).toBe(true);
    expect(isRequest('требую разговора с руководством')).toBe(true);
    expect(isRequest('позовите старшего')).toBe(true);
    expect(isRequest('connect me to coustmer care executive')).toBe(true);
    expect(isRequest('i want to speak with a custmer service executive')).toBe(true);
    expect(isRequest('где скачать руководство пользователя?')).toBe(false);
    expect(isRequest('кнопка главного меню не работает')).toBe(false);
    expect(isRequest('our chief executive wants an invoice')).toBe(false);
  });

  it('reads refusals, self-denials, captions and head counts as no request', () => {
    expect(isRequest('Не соединяйте с менеджером, мне просто нужен адрес')).toBe(false);
    expect(isRequest('не нужен оператор, бот всё подсказал')).toBe(false);
    expect(isRequest('ne nado cheloveka, uzhe razobralsya')).toBe(false);
    expect(isRequest('я не робот, почему сайт просит капчу?')).toBe(false);
    expect(isRequest('как убрать кнопку «Связаться с оператором» из виджета?')).toBe(false);
    expect(isRequest('can I rename the "chat with an agent" button?')).toBe(false);
    expect(isRequest('сколько менеджеров входит в тариф?')).toBe(false);
    expect(isRequest('как прописать человека в квартире')).toBe(false);
    // A refused bot still counts, and an indicative "не переключает" complains rather than refuses.
    expect(isRequest('бот не переключает на оператора')).toBe(true);
  });

  it('reads mixed-script and translit requests and a past tense as no typo of a request verb', () => {
    expect(isRequest('pls connect w/ chelovek, срочно')).toBe(true);
    expect(isRequest('kak svyazatsya s menedzherom')).toBe(true);
    expect(isRequest('Мастер приходил, подключил интернет, всё хорошо')).toBe(false);
    expect(isRequest('Нужна помощь специалиста, счёт заблокирован')).toBe(true);
  });
});

describe('readOperatorRequest, second round of word classes', () => {
  it('reads waiting for a call, "give me a call" and third-person callbacks as requests', () => {
    expect(isRequest('жду звонка по моей заявке')).toBe(true);
    expect(isRequest('пусть мне перезвонят из отдела продаж')).toBe(true);
    expect(isRequest('please give me a call this evening')).toBe(true);
    // "call me Anna" introduces the customer. The rules know it; the model, which reads "call me",
    // scores it 0.97 and hands it off (README, "Known limits").
    expect(readOperatorRequestRules('call me Olga, I have a question about shipping').isRequest).toBe(false);
  });

  it('keeps real words out of typo correction: "позвоните" is no "позовите", "operation" no "operator"', () => {
    expect(readOperatorRequestRules('позвоните мне').rule).toBe('callback');
    expect(isRequest('the operation failed, please retry?')).toBe(false);
    expect(isRequest('I managed to log in, please ignore my last message')).toBe(false);
  });

  it('reads an alarm that opens the message as urgency, a definition question as none', () => {
    expect(isRequest('Emergency: my card was stolen')).toBe(true);
    expect(isRequest('СРОЧНО! деньги ушли не туда')).toBe(true);
    expect(isRequest('what does escalation mean in the SLA?')).toBe(false);
    expect(isRequest('это срочно? если нет, отвечу завтра')).toBe(false);
    expect(isRequest('who can I talk to my landlord about? is there a guide')).toBe(false);
    expect(isRequest('who should I talk to about a refund?')).toBe(true);
  });

  it('reads sending a person as a request, sending something to a person as none', () => {
    expect(isRequest('пришлите кого-нибудь, счётчик так и не работает')).toBe(true);
    expect(isRequest('send someone to fix the boiler')).toBe(true);
    expect(isRequest('пришлите менеджеру мои документы')).toBe(false);
  });

  it('reads a callback about the help desk owner’s customers or a texted number as no request', () => {
    expect(isRequest('we want our customers to be able to order a callback on the site, is it possible?')).toBe(false);
    expect(isRequest('please text me the order number')).toBe(false);
    expect(isRequest('срочно нужна помощь, не могу войти')).toBe(true);
  });

  it('counts departments only with an explicit verb and not when their contact details are asked', () => {
    expect(isRequest('соедините с отделом продаж')).toBe(true);
    expect(isRequest('put me through to sales please')).toBe(true);
    expect(isRequest('бухгалтерия работает в пятницу?')).toBe(false);
    expect(isRequest('свяжите с бухгалтерией, а лучше дайте их номер телефона')).toBe(false);
    expect(isRequest('не треба оператора, дякую')).toBe(false);
  });

  it('reads someone else’s want and an unquoted caption after "кнопка" as no request', () => {
    expect(isRequest('мне писал ваш специалист, что она хотела?')).toBe(false);
    expect(isRequest('сделайте кнопку позвать оператора крупнее')).toBe(false);
  });
});

describe('isComplaint', () => {
  it('reads insults, poor service, wasted time and failed help as complaints', () => {
    expect(isComplaint('what a pathetic app')).toBe(true);
    expect(isComplaint('you guys are useless')).toBe(true);
    expect(isComplaint('really poor service today')).toBe(true);
    expect(isComplaint('this chat is a waste of my time')).toBe(true);
    expect(isComplaint("I'm done with your shop")).toBe(true);
    expect(isComplaint('уже писала вам, не смогли помочь')).toBe(true);
    expect(isComplaint('не могу до вас дозвониться второй день')).toBe(true);
    expect(isComplaint('I am really unhappy with the delivery')).toBe(true);
    expect(isComplaint('you wasted my time again')).toBe(true);
    expect(isComplaint('хочу пожаловаться на грубого курьера')).toBe(true);
    expect(isComplaint("I'm fed up")).toBe(true);
    expect(isComplaint('I already emailed you twice and got no answer')).toBe(true);
    expect(isComplaint('курьер бросил трубку, когда я спросила про сдачу')).toBe(true);
    expect(isComplaint('менеджер обещал связаться и так и не связался')).toBe(true);
    expect(isComplaint('никто не может разобраться с моим счётом')).toBe(true);
    // A promise alone is a story; a troubleshooting step that did not help is a question.
    expect(isComplaint('менеджер обещал перезвонить завтра утром')).toBe(false);
    expect(isComplaint('уже перезагрузил роутер, что ещё попробовать?')).toBe(false);
    // A supposition is no complaint.
    expect(isComplaint('if no one answers the chat at night, where does the message go?')).toBe(false);
    expect(isComplaint('никто не отвечает уже час')).toBe(true);
  });

  it('reads asking where or how to complain as a question, and service words without blame as none', () => {
    expect(isComplaint('куда написать жалобу на курьера?')).toBe(false);
    expect(isComplaint('how do I file a complaint')).toBe(false);
    expect(isComplaint('куда жаловаться, это отвратительно')).toBe(true);
    expect(isComplaint('the service was poorly documented? where is the API page')).toBe(false);
    expect(isComplaint('I can help you with the setup if needed')).toBe(false);
  });
});

describe('readOperatorRequest, round after the fourth own hold-out', () => {
  it('reads the person in charge said in a phrase, and a senior of a shift, as a person', () => {
    expect(isRequest("I'd like to speak to the person in charge")).toBe(true);
    expect(isRequest("who's in charge here?")).toBe(true);
    expect(isRequest('соедините с тем, кто принимает решения')).toBe(true);
    expect(isRequest('кто у вас тут главный?')).toBe(true);
    expect(isRequest('позовите старшего смены пожалуйста')).toBe(true);
    expect(isRequest('покличте начальника зміни')).toBe(true);
    // A duty, a noun after "главный", taking orders rather than decisions: no boss asked for.
    expect(isRequest('who is in charge of data protection at your company?')).toBe(false);
    expect(isRequest('кто у вас главный бухгалтер?')).toBe(false);
    expect(isRequest('тот, кто принимает заказы, работает до шести?')).toBe(false);
  });

  it('counts office roles (администратор, colleague) with an explicit verb only', () => {
    expect(isRequest('соедините с администратором')).toBe(true);
    expect(isRequest('let me speak to your coworker')).toBe(true);
    expect(isRequest('переключите на коллегу')).toBe(true);
    expect(isRequest('логин администратора?')).toBe(false);
    expect(isRequest('my colleague ordered this last week, where is it?')).toBe(false);
    expect(isRequest('коллега посоветовал ваш магазин')).toBe(false);
  });

  it('joins "кого нибудь" written apart, and reads misspelt "customer service"', () => {
    expect(isRequest('дайте кого нибудь живого')).toBe(true);
    expect(isRequest('покличте когось з підтримки')).toBe(true);
    expect(isRequest('custmer suport')).toBe(true);
  });

  it('lets a live person asked for in so many words outweigh an administration word', () => {
    expect(readOperatorRequestRules('нужен живой специалист по тарифам').rule).toBe('live-entity');
    expect(isRequest('как добавить живого оператора в тариф')).toBe(false);
  });

  it('reads "available" as presence only beside a word for now', () => {
    expect(readOperatorRequestRules('is an agent available now?').rule).toBe('presence-question');
    expect(isRequest('is a manager available on saturday?')).toBe(false);
    expect(isRequest('is support available on weekends?')).toBe(false);
  });

  it('reads a clause that is only the alarm as urgency, an urgency question as none', () => {
    expect(readOperatorRequestRules('Можно мне позвонить? Очень срочно').rule).toBe('urgent');
    expect(isRequest('очень срочно!')).toBe(true);
    // An urgency question is no alarm to the rules; the model scores this one 0.92 (README, "Known limits").
    expect(readOperatorRequestRules('это срочно?').isRequest).toBe(false);
    expect(isRequest('срочная доставка есть?')).toBe(false);
    expect(readOperatorRequestRules('Очень срочно\n?').isRequest).toBe(false);
    expect(readOperatorRequestRules('Вопрос по оплате; крайне срочно\nспасибо').rule).toBe('urgent');
    // Long blank runs between clauses (read clause by clause, in one pass: see hasUrgentClause).
    expect(readOperatorRequestRules(`крайне${'\n'.repeat(4000)}x`).isRequest).toBe(false);
    expect(readOperatorRequestRules(`крайне${' '.repeat(4000)}x`).isRequest).toBe(false);
  });

  it('reads curiosity about the bot, a character compound and thanks passed on in Ukrainian as no request', () => {
    expect(readOperatorRequestRules('ты бот или человек? просто интересно').rule).toBe('curious');
    expect(isRequest('are you a bot? just curious')).toBe(false);
    expect(isRequest('человек-паук в наличии?')).toBe(false);
    expect(isRequest('фигурка людина-павук є?')).toBe(false);
    expect(isRequest('передайте подяку менеджеру Ірині')).toBe(false);
    // Without the curiosity the question stays a request, and a stated need outweighs curiosity.
    expect(isRequest('вы живой оператор или робот?')).toBe(true);
  });

  it('knows "boss" as a person, Ukrainian "з ким поговорити" and "терміново потрібна допомога"', () => {
    expect(isRequest('get me your boss')).toBe(true);
    expect(readOperatorRequestRules('з ким можна поговорити?').rule).toBe('talk');
    expect(readOperatorRequestRules('терміново потрібна допомога').rule).toBe('urgent');
  });

  it('reads a cancelled call as no callback', () => {
    expect(isRequest('мне сказали что со мной свяжется менеджер, но всё уже решилось, спасибо, перезванивать не надо')).toBe(false);
    expect(isRequest('please don’t call me, just email the invoice')).toBe(false);
    expect(isRequest('перезвоните мне, пожалуйста, по заказу')).toBe(true);
  });
});

describe('isComplaint, threats and demands', () => {
  it('reads threats to go to court, the bank, a regulator or the public as complaints', () => {
    expect(isComplaint('если не вернёте деньги, подам в суд')).toBe(true);
    expect(isComplaint('будем судиться, так и знайте')).toBe(true);
    expect(isComplaint('подам до суду на вашу компанію')).toBe(true);
    expect(isComplaint('we will see you in court')).toBe(true);
    expect(isComplaint('I am going to report you to consumer protection')).toBe(true);
    expect(isComplaint('оспорю списание через банк')).toBe(true);
    expect(isComplaint("I'll file a chargeback tomorrow")).toBe(true);
    expect(isComplaint('оставлю гневный отзыв на всех площадках')).toBe(true);
    expect(isComplaint("I'll leave a one star review everywhere")).toBe(true);
  });

  it('reads a lawyer who will be in touch, a reversed payment and "поверніть гроші" as complaints', () => {
    expect(isComplaint('you will hear from my attorney')).toBe(true);
    expect(isComplaint('мой юрист с вами свяжется')).toBe(true);
    expect(isComplaint('I will ask my bank to reverse the charge')).toBe(true);
    expect(isComplaint('поверніть гроші')).toBe(true);
    expect(isComplaint('my lawyer asked me to get a copy of the invoice')).toBe(false);
    expect(isComplaint('я юрист компании, подскажите по договору')).toBe(false);
  });

  it('reads asking how to do those things, praise and being at a court as no complaint', () => {
    expect(isComplaint('как оформить чарджбек?')).toBe(false);
    expect(isComplaint('how do I dispute a charge on my statement?')).toBe(false);
    expect(isComplaint('можно ли подать в суд на продавца через ваш сервис?')).toBe(false);
    expect(isComplaint('оставлю отзыв, спасибо огромное за помощь')).toBe(false);
    expect(isComplaint("I'll leave a 5 star review, thanks!")).toBe(false);
    expect(isComplaint('я буду в суде завтра, можно доставку на послезавтра?')).toBe(false);
    expect(isComplaint("I'll be in court tomorrow, can you deliver on friday?")).toBe(false);
    expect(isComplaint('буду ждать решения суда по возврату')).toBe(false);
  });

  it('reads demands for amends as complaints, asking whether they are due as none', () => {
    expect(isComplaint('требую вернуть деньги')).toBe(true);
    expect(isComplaint('I demand an apology')).toBe(true);
    expect(isComplaint('жду извинений от вашего руководства')).toBe(true);
    expect(isComplaint('кто мне теперь возместит испорченный вечер? кто ответит за это?')).toBe(true);
    expect(isComplaint('положена ли компенсация за задержку рейса?')).toBe(false);
    expect(isComplaint('do you offer compensation for late deliveries?')).toBe(false);
    expect(isComplaint('хочу узнать про компенсацию')).toBe(false);
    expect(isComplaint('требуется ли паспорт для получения?')).toBe(false);
  });

  it('reads insults, rage, rhetorical sanity questions and Ukrainian complaint words as complaints', () => {
    expect(isComplaint('вы воры и жулики')).toBe(true);
    expect(isComplaint('ви шахраї')).toBe(true);
    expect(isComplaint('це неподобство')).toBe(true);
    expect(isComplaint('я в бешенстве от вашей доставки')).toBe(true);
    expect(isComplaint('ни ответа ни привета уже неделю')).toBe(true);
    expect(isComplaint('вы там в своём уме?')).toBe(true);
    expect(isComplaint('are you kidding me? third charge this month')).toBe(true);
    expect(isComplaint('куди можна поскаржитися на кур’єра?')).toBe(false);
    // Look-alikes of the new words: a past tense of "кидать", a crooked picture.
    expect(isComplaint('я кидала вам скриншот вчера')).toBe(false);
    expect(isComplaint('the picture on the box is crooked')).toBe(false);
  });
});

describe('readOperatorRequest, round on the fifth own hold-out', () => {
  it('counts roles of the business (director, pharmacist, curator, doctor, owner) with an explicit verb only', () => {
    expect(isRequest('Соедините с директором магазина, пожалуйста')).toBe(true);
    expect(isRequest('хочу поговорить с лікарем')).toBe(true);
    expect(isRequest('Let me speak to the store owner')).toBe(true);
    expect(isRequest("I'd like to talk to the principal")).toBe(true);
    expect(isRequest("Можете з'єднати з фахівцем?")).toBe(true);
    expect(isRequest('директор сказал, что скидки нет')).toBe(false);
    expect(isRequest('хочу стать куратором курса')).toBe(false);
    expect(isRequest('передайте директору спасибо')).toBe(false);
    expect(isRequest('Мне нужна справка от врача?')).toBe(false);
  });

  it('reads a person set against a program as a request, also in an aside, but not the customer describing themselves', () => {
    expect(readOperatorRequestRules('Разъясните — человек, а не автомат, — почему списали деньги за подписку').rule).toBe('person-not-bot');
    expect(isRequest('I need a real person, not a bot, to look at this')).toBe(true);
    expect(isRequest('я хочу человека, а не бота')).toBe(true);
    expect(isRequest('я человек, а не робот, пропустите капчу')).toBe(false);
    expect(isRequest("I'm a real person, not a bot, why the captcha?")).toBe(false);
    expect(isRequest('я человек, хочу вернуть товар')).toBe(false);
    expect(readOperatorRequestRules("I don't want the bot").rule).toBe('bot-rejected');
    expect(readOperatorRequestRules('я не хочу бота').rule).toBe('bot-rejected');
    expect(isRequest('я не робот, почему капча?')).toBe(false);
  });

  it('reads "where is everyone", people-or-bots with a need for help and "a person who can help" as calls for a person', () => {
    expect(isRequest('where is everybody? I have been waiting an hour')).toBe(true);
    expect(isRequest('где все? жду уже час')).toBe(true);
    expect(isRequest('куда все пропали?')).toBe(true);
    expect(isRequest('где все мои заказы?')).toBe(false);
    expect(isRequest('вы люди или роботы? помогите с оплатой')).toBe(true);
    expect(isRequest('are there humans or just bots here? I need help with billing')).toBe(true);
    expect(isRequest('is there a person who can assist with my refund?')).toBe(true);
    expect(isRequest('есть человек, который может помочь?')).toBe(true);
    expect(isRequest('who is in charge over there?')).toBe(true);
  });

  it('reads sarcastic quotes around "helped" as no thanks, and keeps car and machine senses apart from the bot', () => {
    expect(isRequest('Спасибо за «помощь», бот очень «помог». Теперь человека можно?')).toBe(true);
    expect(isRequest('Thanks, very "helpful" bot. Now a person please')).toBe(true);
    expect(isRequest('машина не заводится, что делать?')).toBe(false);
    expect(isRequest('the machine is not dispensing tickets')).toBe(false);
    expect(isRequest('не хочу говорить с машиной')).toBe(true);
  });
});

describe('isComplaint, round on the fifth own hold-out', () => {
  it('reads regulators as a class, the bank as a place of appeal and translit complaints', () => {
    expect(isComplaint('обращаюсь в Роспотребнадзор по поводу вашей доставки')).toBe(true);
    expect(isComplaint("I'm filing a complaint with the FTC")).toBe(true);
    expect(isComplaint("I'll report this to the attorney general")).toBe(true);
    expect(isComplaint('we are contacting the utilities commissioner about the outage')).toBe(true);
    expect(isComplaint('звернуся до Держпродспоживслужби')).toBe(true);
    expect(isComplaint('обращусь в банк, пусть вернут')).toBe(true);
    expect(isComplaint('budem zhalovatsya v rospotrebnadzor')).toBe(true);
    expect(isComplaint('пойду в банк снять наличные')).toBe(false);
    expect(isComplaint("I'll call my bank to raise the limit")).toBe(false);
    expect(isComplaint("I'll be back in a sec")).toBe(false);
    expect(isComplaint("I'm going to pay the commission")).toBe(false);
    expect(isComplaint('буду ждать инспекцию дома')).toBe(false);
    expect(isComplaint('ya budu v sude zavtra')).toBe(false);
  });

  it('reads "X is a joke", "цирк, а не сервис", incompetence, rudeness of staff and sarcasm as complaints', () => {
    expect(isComplaint('The app is a joke')).toBe(true);
    expect(isComplaint('Это цирк, а не сервис!')).toBe(true);
    expect(isComplaint('Дякую. Це жах, а не сервіс!')).toBe(true);
    expect(isComplaint('You are incompetent')).toBe(true);
    expect(isComplaint('Свинство какое-то')).toBe(true);
    expect(isComplaint('курьер мне нахамил')).toBe(true);
    expect(isComplaint('Спасибо, очень «помогли»')).toBe(true);
    expect(isComplaint('is this a joke feature?')).toBe(false);
    expect(isComplaint('хочу оплатить товар, а не сервис')).toBe(false);
    expect(isComplaint('нажмите «Помощь»')).toBe(false);
  });

  it('reads "about how" as no question, and the complaints desk asked about for later as a question', () => {
    expect(isComplaint('I want to complain about how the courier handled my parcel')).toBe(true);
    expect(isComplaint('how do I file a complaint about a courier?')).toBe(false);
    expect(isComplaint('какой номер для жалоб?')).toBe(false);
    expect(isComplaint("What's the process to submit a complaint, just in case?")).toBe(false);
    expect(isComplaint('хочу пожаловаться на курьера')).toBe(true);
  });
});

describe('readOperatorRequest, round on the sixth own hold-out: scopes', () => {
  const rules = (text: string): boolean => readOperatorRequestRules(text).isRequest;

  it('ends a refusal at its sentence', () => {
    expect(rules('Хватит. Не надо мне инструкций. Переключите на консультанта')).toBe(true);
    expect(rules('не нужно ссылок. дайте специалиста')).toBe(true);
    expect(rules('Статьи не помогли. Свяжите с менеджером')).toBe(true);
    expect(isRequest('не надо переключать на оператора, статья помогла')).toBe(false);
    expect(isRequest('мне не нужен оператор, я сам разберусь')).toBe(false);
  });

  it('reads a callback followed by its topic, while a configuration sentence stays administration', () => {
    expect(readOperatorRequestRules('Перезвоните мне, пожалуйста. Вопрос по продлению лицензии.').rule).toBe('callback');
    expect(rules('Please call me back. It is about my subscription plan')).toBe(true);
    expect(isRequest('Как настроить обратный звонок для клиентов на тарифе Про?')).toBe(false);
  });

  it('pairs a verb with a person in its own sentence, not with one in an administration or how-to sentence', () => {
    expect(isRequest('Как добавить юриста в кабинет организации? Хочу дать ему права на договоры')).toBe(false);
    expect(isRequest('How do I add a teacher to our school workspace? Let me know the steps')).toBe(false);
    expect(rules('Вопрос по тарифу. Соедините с менеджером')).toBe(true);
  });

  it('does not read "статьи", "ставка" as the job word "стать"', () => {
    expect(rules('статьи не помогают. хочу с оператором')).toBe(true);
    expect(isRequest('хочу стать оператором колл-центра')).toBe(false);
  });

  it('takes a want of an action as no want of a person', () => {
    expect(isRequest('I want to block a person who keeps messaging me, where is the setting?')).toBe(false);
    expect(isRequest('I need to find an email from a specific person in my inbox')).toBe(false);
    expect(isRequest('Мне нужно пригласить коллегу на вебинар')).toBe(false);
    expect(isRequest('Руководитель отправил приглашение, войти надо через почту')).toBe(false);
    expect(rules('I want to talk to a person')).toBe(true);
    expect(rules('I need someone to look at my order')).toBe(true);
    expect(rules('пригласите оператора в чат')).toBe(true);
  });

  it('reads a vague person followed by a verb of its own as anyone at all, not a presence call', () => {
    expect(isRequest('Where can someone renew a passport?')).toBe(false);
    expect(isRequest('Can anybody register for the course?')).toBe(false);
    expect(rules('anyone there?')).toBe(true);
    expect(rules('есть кто-нибудь живой?')).toBe(true);
  });

  it('reads a third party picked out of many, or a crowd, as no one asked for', () => {
    expect(isRequest('how do I mute a certain someone in a group thread?')).toBe(false);
    expect(isRequest('Can I email a lot of people at once?')).toBe(false);
  });

  it('reads third-party speech in the present as a story', () => {
    expect(isRequest('Менеджер говорит, что доставка завтра, но трекинг пустой')).toBe(false);
  });
});

describe('readOperatorRequest, round on the sixth own hold-out: word classes', () => {
  const rules = (text: string): boolean => readOperatorRequestRules(text).isRequest;

  it('reads queueing and waiting for a person as requests', () => {
    expect(rules('добавьте меня в очередь к специалисту')).toBe(true);
    expect(rules('please put me in the queue for an agent')).toBe(true);
    expect(rules('Я вже пів години чекаю консультанта')).toBe(true);
    expect(rules("I've been waiting twenty minutes for a human")).toBe(true);
    expect(isRequest('сколько обычно ждать ответа на письмо?')).toBe(false);
  });

  it('reads the customer repeating a request for a person, unless the matter is settled', () => {
    expect(rules('I already asked for a human. Not the FAQ again.')).toBe(true);
    expect(rules('я же просил оператора!')).toBe(true);
    expect(isRequest('Я просил менеджера вчера, но всё решилось, спасибо')).toBe(false);
    expect(isRequest('I asked the courier to leave it at the door')).toBe(false);
  });

  it('reads a passive transfer, a person called to the phone and "можно мне <person>?"', () => {
    expect(rules('could I be connected with someone from billing?')).toBe(true);
    expect(rules('Можно заведующую к телефону?')).toBe(true);
    expect(rules('можно мне методиста?')).toBe(true);
    expect(rules('can I have a supervisor please')).toBe(true);
    expect(isRequest('Can I have two profiles on one account?')).toBe(false);
    expect(isRequest('можно оператору отправить фото чека?')).toBe(false);
    expect(isRequest('какой номер телефона у администратора?')).toBe(false);
  });

  it('counts trainers, mechanics, dentists, officers and teams with an explicit verb only', () => {
    expect(rules('хочу созвониться с тренером по поводу программы')).toBe(true);
    expect(rules('Let me talk to the mechanic who serviced my car')).toBe(true);
    expect(rules('Could I speak to a dentist today?')).toBe(true);
    expect(rules('connect me to your sales team please')).toBe(true);
    expect(rules('I would like to speak with a financial aid officer')).toBe(true);
    expect(isRequest('the dentist said the crown is fine')).toBe(false);
    expect(isRequest('does the trainer bring equipment?')).toBe(false);
    expect(isRequest('How big is your support team?')).toBe(false);
  });

  it('reads Ukrainian imperatives of connecting and Ukrainian typed in Latin letters', () => {
    expect(rules('Підключіть хтось живого, будь ласка')).toBe(true);
    expect(rules('pidklyuchit operatora')).toBe(true);
    expect(rules('mozhu z menedzherom pohovoryty?')).toBe(true);
  });

  it('reads "кто у вас там главный" as the person in charge', () => {
    expect(rules('соедините с тем, кто у вас там главный')).toBe(true);
    // The rules read a question about a role; the model hands it off (README, "Known limits").
    expect(rules('кто у вас там главный бухгалтер?')).toBe(false);
  });

  it('reads a member of staff asked to telephone the customer as a callback', () => {
    expect(readOperatorRequestRules('Could someone from your office telephone me tomorrow?').rule).toBe('callback');
  });

  it('keeps nouns and things as objects out of requests', () => {
    expect(isRequest('Is the live chat with operators open on holidays?')).toBe(false);
    expect(isRequest('What happens after close contact with someone who tested positive?')).toBe(false);
    expect(isRequest('How do I export my contact list to a spreadsheet?')).toBe(false);
    expect(isRequest('Can I connect my calendar so people I work with see my slots?')).toBe(false);
    expect(isRequest('How do I send people a link that opens at a given page?')).toBe(false);
    expect(isRequest('Is a group conversation with many people limited in size?')).toBe(false);
    expect(rules('chat with a human')).toBe(true);
    expect(rules('contact me please')).toBe(true);
    expect(rules('connect me to an agent')).toBe(true);
  });
});

describe('isComplaint, round on the sixth own hold-out', () => {
  it('reads an ultimatum as a threat, with "disputing" and professional boards as places to take it', () => {
    expect(isComplaint('Поверните кошти до п’ятниці, інакше скарга до омбудсмена')).toBe(true);
    expect(isComplaint('Refund the second charge or I will dispute it')).toBe(true);
    expect(isComplaint("I'm disputing this charge with my card issuer, otherwise chargeback")).toBe(true);
    expect(isComplaint('We are going to write to the medical board about this clinic')).toBe(true);
    expect(isComplaint('How do I dispute a charge on my statement?')).toBe(false);
    expect(isComplaint('Can I pay by card or else by invoice?')).toBe(false);
  });

  it('reads shock as a complaint, and a failure of the customer themselves as none', () => {
    expect(isComplaint('Я в шоке от вашей доставки')).toBe(true);
    expect(isComplaint('Я у шоці від цього сервісу')).toBe(true);
    expect(isComplaint("I'm shocked at how I was treated")).toBe(true);
    expect(isComplaint("I deleted the file by mistake and now I can't fix it. Is there a backup?")).toBe(false);
    expect(isComplaint("Your team couldn't fix it")).toBe(true);
  });
});

describe('readOperatorRequest, round on the sixth own hold-out: no person named', () => {
  const rule = (text: string): string => readOperatorRequestRules(text).rule;

  it('reads a bare request to be put through, with the customer as the object, as a request', () => {
    expect(rule('Could you put me through please?')).toBe('put-through');
    expect(rule('Can you transfer me now?')).toBe('put-through');
    expect(rule('Переключите меня, пожалуйста')).toBe('put-through');
    expect(rule('можете з’єднати мене?')).toBe('put-through');
    expect(isRequest('Переведите меня на годовую подписку')).toBe(false);
    expect(isRequest('please connect me to the guest wifi')).toBe(false);
    expect(isRequest('No need to connect me, it works now')).toBe(false);
    expect(isRequest('Переведите мне остаток на карту')).toBe(false);
  });

  it('reads help asked of the company’s people as a request, help with a task as a question', () => {
    expect(rule('Может ли кто-то из ваших специалистов мне помочь?')).toBe('help-from-person');
    expect(rule('Could someone on your staff help me please?')).toBe('help-from-person');
    expect(isRequest('Can the consultant in the showroom help choose a sofa colour?')).toBe(false);
    expect(isRequest('Does your staff help carry bags to the room?')).toBe(false);
    expect(isRequest('Can my accountant help me with the form?')).toBe(false);
  });

  it('reads "live" as a person only when no noun follows it', () => {
    expect(readOperatorRequestRules('Можно переключить на живого?').isRequest).toBe(true);
    expect(isRequest('Is there a live chat on the website?')).toBe(false);
  });
});

describe('readOperatorRequest, the learned model and topic headings', () => {
  it('does not let the model alone hand off a heading opened by a gerund; the rules still read one', () => {
    expect(readOperatorRequest('Messaging someone on a forum without an account.').isRequest).toBe(false);
    expect(readOperatorRequest('Finding an old email from somebody.').isRequest).toBe(false);
    expect(readOperatorRequest('Waiting for a human agent for ten minutes now').isRequest).toBe(true);
    expect(readOperatorRequest('Morning, I need a person to sort out my refund').isRequest).toBe(true);
  });
});

describe('readOperatorRequest, procedures asked about around the new classes', () => {
  it('reads whether a contact is needed, a queue asked about and a person booked for a task as questions', () => {
    expect(isRequest('Do I need to contact someone to reset the PIN?')).toBe(false);
    expect(isRequest('Нужно ли звонить менеджеру, чтобы продлить договор?')).toBe(false);
    expect(isRequest('Чи треба писати консультанту для обміну?')).toBe(false);
    expect(isRequest('какая очередь к окулисту на завтра?')).toBe(false);
    expect(isRequest('Можно мастера на дом заказать?')).toBe(false);
    expect(isRequest('Can somebody help me change my delivery address?')).toBe(false);
    expect(readOperatorRequestRules('Can somebody help me please?').isRequest).toBe(true);
    expect(readOperatorRequestRules('contact support').isRequest).toBe(true);
  });
});

describe('readOperatorRequest, requests without a verb of putting through (seventh round)', () => {
  const rules = (text: string): boolean => readOperatorRequestRules(text).isRequest;

  it('reads presence checks: "alive" said of you, a bare "есть кто", someone reaching the customer', () => {
    expect(rules('эй, вы там вообще живые? жду полчаса')).toBe(true);
    expect(rules('ви там живі? пишу з ранку')).toBe(true);
    expect(rules('Алло. Есть кто тут?')).toBe(true);
    expect(rules('Мне сегодня кто-нибудь ответит или нет?')).toBe(true);
    expect(isRequest('А вы там живые цветы продаёте или искусственные?')).toBe(false);
    expect(isRequest('Есть кто из Казани, кто заказывал доставку?')).toBe(false);
    expect(isRequest('Когда курьер до меня доберётся?')).toBe(false);
  });

  it('reads a person fetched or a live chat asked for, not a noun after the person or a chat moved', () => {
    expect(rules('Fetch me a manager. Today.')).toBe(true);
    expect(rules('please switch me to live chat')).toBe(true);
    expect(isRequest('Get staff discount on the second order?')).toBe(false);
    expect(isRequest('Does the widget move a live chat to email after an hour?')).toBe(false);
  });

  it('reads a role of the business needed now, not a service sought or a role with a task', () => {
    expect(rules('Нужен стоматолог прямо сейчас, флюс')).toBe(true);
    expect(rules('Потрібна медсестра, дитині погано')).toBe(true);
    expect(rules('I need a vet or a nurse right now.')).toBe(true);
    expect(isRequest('Нужен репетитор по химии, сколько стоит занятие?')).toBe(false);
    expect(isRequest('Нужен врач на дом в субботу, вы выезжаете?')).toBe(false);
    expect(isRequest('Мне нужен ли рецепт врача для этих капель?')).toBe(false);
  });

  it('reads a role asked to come or call, handling by a person and the case handed over', () => {
    expect(rules('Пусть мне позвонит куратор, вопрос по оплате')).toBe(true);
    expect(rules('Can the shift manager come over to table 4?')).toBe(true);
    expect(rules('Где дежурный врач? Третий час ждём')).toBe(true);
    expect(rules('I would like this reviewed by a supervisor, please.')).toBe(true);
    expect(rules('Отдайте мой вопрос живому специалисту')).toBe(true);
    expect(rules('Заберите у робота мою заявку')).toBe(true);
    expect(rules('Мне нужно, чтобы кто-то проверил платёж вручную')).toBe(true);
    expect(isRequest('Our refund was reviewed by a manager last week and approved.')).toBe(false);
    expect(isRequest('Можно ли передать абонемент другому человеку?')).toBe(false);
    expect(isRequest('Где дежурная аптека рядом с метро?')).toBe(false);
  });

  it('reads a capable person wanted, "the one who" and "whoever" after a verb of contact', () => {
    expect(rules('somebody who can really check my order please')).toBe(true);
    expect(rules('соедините меня с тем, кто оформлял мой кредит')).toBe(true);
    expect(rules('I want to speak to whoever approved this charge')).toBe(true);
    expect(isRequest('How do I add someone who can approve invoices?')).toBe(false);
  });

  it("reads a call from the company's people and staff asked to call someone of the customer's", () => {
    expect(rules('Please arrange a call from your billing department.')).toBe(true);
    expect(rules('может мне кто-то перезвонить завтра утром?')).toBe(true);
    expect(rules('Можете позвонить моей маме, она не видит сообщения?')).toBe(true);
    expect(isRequest('I got a call from your staff yesterday, was it really you?')).toBe(false);
    // The rules read a call with no customer as its object as a procedure question; the model,
    // which cannot see the object, scores it 0.97 and hands it off (README, "Known limits").
    expect(rules('Может ли кто-нибудь позвонить с моего номера?')).toBe(false);
    expect(isRequest('Как позвонить моему менеджеру?')).toBe(false);
  });

  it('reads refusing an automated system as rejecting the bot, and a bare identity question as none', () => {
    expect(rules("I won't be chatting with an automated assistant again")).toBe(true);
    expect(isRequest('Do you offer an automated system for invoices?')).toBe(false);
    expect(isRequest('Ты бот или живой человек?')).toBe(false);
  });

  it('reads a role of the business after a verb of putting through: "переведите на кассира"', () => {
    expect(rules('Соедините с кассиром, пожалуйста')).toBe(true);
    expect(isRequest('Как стать кассиром в вашем магазине?')).toBe(false);
  });
});

describe('isComplaint, seventh round', () => {
  it('reads a bad public review announced, not asking how to leave one or rabies', () => {
    expect(isComplaint('Posting a one-star review on Yelp tonight.')).toBe(true);
    expect(isComplaint('Оставлю негативный отзыв на всех площадках')).toBe(true);
    expect(isComplaint('How do I leave a review on Google?')).toBe(false);
    expect(isComplaint('I will leave a review after the trip')).toBe(false);
    expect(isComplaint('Нужна ли вакцина против бешенства для поездки?')).toBe(false);
    expect(isComplaint('я в бешенстве от вашей доставки')).toBe(true);
  });
});

describe('operator-request rules, eighth round', () => {
  const rules = (text: string): boolean => readOperatorRequestRules(text).isRequest;

  it('reads staff asked to call a relative named without "my": "позвоните маме"', () => {
    expect(rules('Позвоните, пожалуйста, бабушке, она не слышит уведомления')).toBe(true);
    expect(rules('подзвоніть татові, він чекає на дзвінок')).toBe(true);
    expect(isRequest('Как позвонить маме через ваше приложение?')).toBe(false);
  });

  it('reads a vague person wished to call after "чтобы/щоб", not a call refused', () => {
    expect(rules('Хочу, чтобы мне кто-нибудь перезвонил сегодня')).toBe(true);
    expect(rules('Можна, щоб мені хтось зателефонував після обіду?')).toBe(true);
    expect(isRequest('Сделайте, чтобы мне никто не звонил по рекламе')).toBe(false);
  });

  it('reads a specific person named by a relative clause: "та девушка, которая…"', () => {
    expect(rules('Мне нужна та женщина из бухгалтерии, которая мне считала договор')).toBe(true);
    expect(rules('I need that lady who sorted my visa last week')).toBe(true);
    expect(isRequest('Мне нужна та куртка, которая была на витрине')).toBe(false);
  });

  it('reads a role with a topic when the article is waved away, and crew roles', () => {
    expect(rules('Нужен юрист отдела кадров, а не ссылка на статью')).toBe(true);
    expect(rules('Соедините с прорабом, рабочие не пришли')).toBe(true);
    expect(rules('Get me the foreman. The truck is at the wrong address.')).toBe(true);
    expect(isRequest('Нужен юрист по разводу, сколько стоит консультация?')).toBe(false);
    expect(isRequest('Как стать бригадиром у вас?')).toBe(false);
  });

  it('reads "а то" as opening a reason clause, a living soul asked for, and a dash before an administration word', () => {
    expect(rules('а можно с оператором а то тут ничего не понятно')).toBe(true);
    expect(rules('Is there any living soul in your office who can read my email?')).toBe(true);
    expect(rules('Call me back about the quote — I want to add a second bedroom')).toBe(true);
    expect(isRequest('Мій оператор — Лайфселл, код не приходить')).toBe(false);
    expect(isRequest('There was not a living soul at the front desk when I arrived')).toBe(false);
    expect(isRequest('How do I add a callback button to my site?')).toBe(false);
  });
});

describe('isComplaint, eighth round', () => {
  it('reads an ultimatum with a chargeback, shame, a one-star rating and missing sums', () => {
    expect(isComplaint('Если до понедельника не вернёте — оформляю чарджбэк')).toBe(true);
    expect(isComplaint("If the refund is not in by Monday I'm doing a chargeback")).toBe(true);
    expect(isComplaint('Если я сделаю чарджбэк, что будет с подпиской?')).toBe(false);
    expect(isComplaint('How do I file a chargeback if I paid by card?')).toBe(false);
    expect(isComplaint('Вам совсем не стыдно так работать?')).toBe(true);
    expect(isComplaint('Ставлю вам одну звезду, курьер опоздал на день')).toBe(true);
    expect(isComplaint('Где поставить звезду на отзыв?')).toBe(false);
    expect(isComplaint('Где мои 5 тысяч рублей за отменённый тур?')).toBe(true);
    expect(isComplaint('The handling of my order was disgraceful')).toBe(true);
  });
});

describe('readOperatorRequestRules, round after the twelfth own hold-out', () => {
  const rule = (text: string): string => readOperatorRequestRules(text).rule;
  const rules = (text: string): boolean => readOperatorRequestRules(text).isRequest;

  it('reads a wish to talk with any person of the business, whatever the trade, as a request', () => {
    expect(rule('I would like to speak with the senior glazier about my window')).toBe('talk-with');
    expect(rule('можно поговорить с технологом цеха?')).toBe('talk-with');
    expect(rule('хочу пообщаться с вашим агрономом лично')).toBe('talk-with');
    expect(rule('дозвольте поспілкуватися з майстром, який робив замок')).toBe('talk-with');
    expect(rule('let me chat with Marta from the workshop')).toBe('talk-with');
  });

  it('does not read a topic, the customer’s own people, a pronoun, a refusal or a how-to as one', () => {
    expect(rules('I want to talk about the delivery window for the sofa')).toBe(false);
    expect(rules('хочу поговорить с сыном про карманные деньги, есть статья?')).toBe(false);
    expect(rules('Can I chat with other members in the app?')).toBe(false);
    expect(rules('I would like to talk to you about my order')).toBe(false);
    expect(rules('не хочу ни с кем разговаривать, просто пришлите чек')).toBe(false);
    expect(rules('как поговорить с арендодателем о ремонте?')).toBe(false);
    expect(rules('I want to speak to my wife before I book the trip')).toBe(false);
    expect(rules('хочу сначала поговорить с женой, потом оформлю')).toBe(false);
  });
});

describe('readOperatorRequest, letters (the e-mail-shaped hold-out)', () => {
  // Written for these tests, in the shape of the hold-out's letters: the request is one sentence of
  // many, after the story.
  const letter = [
    'Hello,',
    '',
    'I have been with your bank for six years. How do I add my accountant as a user of the business account? The help page mentions roles but does not say which one can sign payments.',
    '',
    "Separately, I'd like a claims handler assigned to my case to phone me, please.",
  ].join('\n');

  it('finds a request in one sentence of a long letter, which the whole letter hides', () => {
    // Read whole, the accountant made a user makes the letter administration: no request.
    expect(readOperatorRequestRules(letter).isRequest).toBe(false);
    const reading = readOperatorRequest(letter);
    expect(reading.isRequest).toBe(true);
    expect(reading.rule.startsWith('sentence:')).toBe(true);
  });

  it('reads a past form after "чтобы" in its clause as a wish, not a story', () => {
    expect(readOperatorRequestRules('Прошу, чтобы по этому вопросу мне позвонил сотрудник, который отвечает за возвраты.').rule).not.toBe(
      'entity-story',
    );
    expect(readOperatorRequestRules('Вчера мне по этому вопросу позвонил сотрудник, который отвечает за возвраты.').rule).toBe(
      'entity-story',
    );
  });

  it('finds nothing in a long letter none of whose sentences asks for a person', () => {
    const noRequest = [
      'Добрый день!',
      '',
      'Наша компания оформляла у вас договор на обслуживание 14 автомобилей. С января к нам переходят ещё три машины, и мы хотим включить их в тот же договор.',
      'Подскажите, достаточно ли прислать список на почту, или нужно дополнительное соглашение? И как считается стоимость, пропорционально оставшимся месяцам?',
    ].join('\n');
    expect(noRequest.length).toBeGreaterThan(200);
    expect(readOperatorRequest(noRequest).isRequest).toBe(false);
  });

  it('reads a chat line as a whole only', () => {
    // Its first sentence alone reads as a request; below 200 characters the whole decides, as the
    // chat-shaped sets were measured (reading them sentence by sentence too is a choice not made).
    const chat = 'Можно ту девушку с кассы, которая вчера продала мне билеты на концерт? Она обещала скидку для студентов';
    expect(readOperatorRequest(requestSentences(chat)[0]!).isRequest).toBe(true);
    expect(readOperatorRequest(chat).isRequest).toBe(false);
  });

  it('does not read a letter ending in "Прошу помочь." or "Please advise." as a request for a person', () => {
    // Earlier models read such a sentence alone at 0.96; read alone, a sentence must name a person
    // or a call, and these name neither.
    const ru =
      'Добрый день.\n\nПо счёту № 5531 от 12 ноября оплата прошла, но в личном кабинете счёт до сих пор висит как неоплаченный, а сегодня пришло напоминание о задолженности и угроза отключения услуги с понедельника. Прошу помочь.';
    const en =
      'Hello,\n\nInvoice 5531 from November 12 was paid in full, but the account page still shows it as unpaid and today we got a reminder about the debt and a warning that the service will be suspended on Monday. Please advise.';
    for (const letter of [ru, en]) {
      expect(readOperatorRequestRules(requestSentences(letter).at(-1)!).rule).toBe('no-entity');
      expect(readOperatorRequest(letter).isRequest).toBe(false);
    }
  });

  it('sets aside a rule hit in a letter that the model reads below 0.3, never one in a chat line', () => {
    // A model that doubts everything (its bias lowered far) shows the rule apart from the shipped weights.
    const doubting = { ...OPERATOR_REQUEST_MODEL, bias: OPERATOR_REQUEST_MODEL.bias - 30 };
    // Praise passed on to the management: "передайте руководству" reads as a request to the rules.
    const praise =
      'Добрый день!\n\nХочу отметить работу мастера Ильи из сервиса на Садовой: машину сделали на день раньше, всё объяснил и показал старые детали. Пожалуйста, передайте руководству, что он заслуживает премии.\n\nС уважением,\nОльга';
    expect(readOperatorRequestRules(praise).isRequest).toBe(true);
    expect(readOperatorRequest(praise, doubting)).toMatchObject({ isRequest: false, rule: 'model-veto' });
    // A call declined with the person between the want and the call is the rules' own no.
    const declined =
      'Hi,\n\nThanks for the quick reply about my prescription. Just so you know, there is no need for your pharmacist to call me about the generic substitute, my doctor already confirmed it is fine. Please go ahead and prepare the order for pickup on Friday at the Oak Street branch.\n\nBest,\nTom';
    expect(readOperatorRequestRules(declined).isRequest).toBe(false);
    const chat = 'Соедините с менеджером, пожалуйста, по заказу 5521';
    expect(readOperatorRequest(chat, doubting)).toMatchObject({ isRequest: true, rule: readOperatorRequestRules(chat).rule });

    const asked =
      'Добрый день!\n\nВторой месяц подряд в квитанции начислено отопление по нормативу, хотя счётчик стоит и показания я передаю каждый месяц до 20 числа. В чате бот присылает одну и ту же инструкцию. Прошу, чтобы со мной связался специалист расчётного отдела и разобрался с перерасчётом. Мой телефон +7 912 555-10-20.';
    expect(asked.length).toBeGreaterThan(200);
    expect(readOperatorRequest(asked)).toMatchObject({ isRequest: true, rule: readOperatorRequestRules(asked).rule });
    expect(readOperatorRequest(asked, doubting)).toMatchObject({ isRequest: false, rule: 'model-veto' });
  });

  it('draws the letter veto at a probability of 0.3', () => {
    // A model without weights gives every text the probability of its bias.
    const constant = (p: number) => ({ ...OPERATOR_REQUEST_MODEL, weights: {}, bias: Math.log(p / (1 - p)) });
    const letter =
      'Добрый день!\n\nХочу отметить работу мастера Ильи из сервиса на Садовой: машину сделали на день раньше, всё объяснил и показал старые детали. Пожалуйста, передайте руководству, что он заслуживает премии.\n\nС уважением,\nОльга';
    expect(readOperatorRequestRules(letter).isRequest).toBe(true);
    expect(readOperatorRequest(letter, constant(0.29))).toMatchObject({ isRequest: false, rule: 'model-veto' });
    expect(readOperatorRequest(letter, constant(0.31))).toMatchObject({ isRequest: true, rule: readOperatorRequestRules(letter).rule });
    // A chat line keeps its rule hit however low the model reads it.
    expect(readOperatorRequest('Соедините с менеджером, пожалуйста', constant(0.01)).isRequest).toBe(true);
  });

  it("keeps the rules' no for a refusal in one sentence of a letter, which the model alone reads as a request", () => {
    const letter =
      'Добрый день!\n\nВ счёте за ноябрь по договору 4471 указана сумма 12 300 руб., а по тарифу должно быть 9 800. Пришлите, пожалуйста, исправленный счёт и акт сверки за квартал на этот адрес. Мне не нужен живой оператор, ответьте письмом.';
    const refusal = 'Мне не нужен живой оператор, ответьте письмом.';
    expect(letter.length).toBeGreaterThan(200);
    expect(requestSentences(letter)).toContain(refusal);
    expect(readOperatorRequestRules(refusal).rule).toBe('entity-excluded');
    expect(operatorRequestProbability(refusal)).toBeGreaterThanOrEqual(OPERATOR_REQUEST_MODEL.decision.threshold);
    expect(readOperatorRequest(letter).isRequest).toBe(false);
  });

  it("lets the model decide a letter the rules set aside whole, where a chat line keeps the rules' no", () => {
    // A model that is sure of everything shows the rule apart from the shipped weights.
    const sure = { ...OPERATOR_REQUEST_MODEL, bias: OPERATOR_REQUEST_MODEL.bias + 30 };
    const story = 'Оператор, который мне звонил, не представился';
    expect(readOperatorRequestRules(story).rule).toBe('entity-story');
    expect(readOperatorRequest(story, sure).isRequest).toBe(false);
    const letter =
      'Здравствуйте.\n\nМы купили у вас тур в Турцию на 12–22 декабря. Вчера узнали из новостей, что отель закрыт на реконструкцию, а в личном кабинете тур по-прежнему «подтверждён». Менеджер Дарья, которая оформляла тур, в прошлый раз быстро всё решила.';
    expect(letter.length).toBeGreaterThan(200);
    expect(['entity-story', 'entity-excluded']).toContain(readOperatorRequestRules(letter).rule);
    expect(readOperatorRequest(letter, sure)).toMatchObject({ isRequest: true, rule: 'model' });
  });

  it('splits at line breaks and sentence ends, skips bits too short to ask anything, and reads at most 60', () => {
    expect(
      requestSentences('Привет.\nЗаказ 12 пришёл без пульта! Где он? Пишите на help@shop.ru. Позовите менеджера, пожалуйста.'),
    ).toEqual(['Заказ 12 пришёл без пульта!', 'Пишите на help@shop.ru.', 'Позовите менеджера, пожалуйста.']);
    expect(requestSentences('Это одно предложение. '.repeat(500))).toHaveLength(60);
  });
});

describe('readOperatorRequestRules, round after the twenty-fifth own hold-out', () => {
  // Sentences written for these tests, in the shapes the misses of holdouts 9–25 had.
  const rules = (text: string): string => readOperatorRequestRules(text).rule;

  it('reads a call asked for the customer’s own people, and "phone" as a verb after a person', () => {
    expect(rules('Could someone from your team call my husband? He made the booking.')).toBe('entity+verb');
    expect(rules('Can one of your agents phone her this evening?')).toBe('entity+verb');
    expect(rules('Please have a manager ring me back.')).toBe('entity+verb');
    // The customer calling, a call centre, a number asked for: no one asked to call.
    expect(isRequest('I need to call my wife first, then I will book.')).toBe(false);
    expect(isRequest('Your call centre never picks up on weekends, what are its hours?')).toBe(false);
    expect(isRequest('What is the phone number of your accountant?')).toBe(false);
  });

  it('keeps a person in charge of something a person', () => {
    expect(rules('I need whoever is in charge of billing to contact me today.')).toBe('entity+verb');
    expect(rules("Whoever's in charge of memberships, I need to talk to you.")).toBe('entity+verb');
    expect(isRequest('Who is the owner of this company?')).toBe(false);
    expect(isRequest('The owner of the dog was not there.')).toBe(false);
  });

  it('does not read thanks to the bot as thanks that makes a person a story', () => {
    expect(rules('спасибо боту за пятую ссылку. дайте живого человека')).toBe('entity+verb');
    expect(rules('спасибо роботу за ответ. а теперь человека, пожалуйста')).toBe('entity+please');
    expect(isRequest('Спасибо, бот, всё понятно.')).toBe(false);
    expect(rules('thanks robot for the third link to the same page\nany humans around?')).toBe('presence-question');
  });

  it('reads a verb after a link in another sentence as no caption', () => {
    expect(rules('Опять ссылку. Дайте живого человека')).toBe('entity+verb');
    expect(isRequest('Сделайте ссылку связаться с оператором заметнее')).toBe(false);
  });

  it('knows shop, school and clinic roles with an explicit verb only', () => {
    expect(rules('дайте продавца, хочу уточнить размер')).toBe('entity+verb');
    expect(rules('можно преподавателя на связь? вопрос по домашнему заданию')).toBe('entity+verb');
    expect(rules('is there a librarian i could chat with about an interlibrary loan?')).toBe('entity+verb');
    expect(isRequest('продавец в магазине был очень вежлив')).toBe(false);
    expect(isRequest('хочу стать преподавателем у вас, есть вакансии?')).toBe(false);
    expect(isRequest('how do I become a librarian?')).toBe(false);
    expect(isRequest('the developer who built our site is on holiday')).toBe(false);
  });

  it('reads a call proposed instead of letters', () => {
    expect(rules('По переписке будет долго, давайте лучше созвонимся, мой номер 8 930 123-45-67.')).toBe('call-proposed');
    expect(rules('Письмами будет путано, давайте обсудим по телефону.')).toBe('call-proposed');
    expect(rules('По телефону было бы гораздо проще, мой номер в заявке.')).toBe('call-proposed');
    expect(rules('Can we jump on a quick call this week?')).toBe('call-proposed');
    expect(rules("I'd rather discuss this by phone than fill in the form.")).toBe('call-proposed');
    expect(isRequest('Можно ли заказать по телефону? Так было бы проще.')).toBe(false);
    expect(isRequest('Can I order by phone?')).toBe(false);
    // A call with someone else, in a product that places calls, is a feature question.
    expect(isRequest('Can we schedule a call with our clients through your app?')).toBe(false);
    expect(isRequest('Can we have a call with multiple participants?')).toBe(false);
    expect(rules('Can we have a quick call with you tomorrow?')).toBe('call-proposed');
  });

  it('reads things handed over, access given and languages spoken as no request', () => {
    expect(isRequest('Как передать абонемент в бассейн другому человеку?')).toBe(false);
    expect(isRequest('Можно ли передать бронь столика на другого человека?')).toBe(false);
    expect(isRequest('Можно дать доступ к личному кабинету нашему юристу?')).toBe(false);
    expect(isRequest('Do any of your agents speak Ukrainian?')).toBe(false);
    expect(isRequest('Менеджер обіцяв, що рахунок прийде завтра. Коли чекати?')).toBe(false);
    // The same verbs with a person to reach stay requests.
    expect(isRequest('Передайте меня другому менеджеру, пожалуйста')).toBe(true);
    expect(isRequest('Can I speak to an agent in English?')).toBe(true);
  });

  it('reads talking only with someone, a person asked to act after "чтобы", a call arranged and "by phone"', () => {
    expect(isRequest('Я буду разговаривать только с вашим управляющим, посылка пришла пустой.')).toBe(true);
    expect(isRequest('Хочу, чтобы директор салона лично объяснил, почему запись отменили.')).toBe(true);
    expect(isRequest('Передайте тренеру, чтобы набрал меня после занятия.')).toBe(true);
    expect(isRequest('Можно ли организовать звонок с юристом? Хочу обсудить договор.')).toBe(true);
    expect(isRequest("Прошу передати моє звернення керівнику та зв'язатися зі мною телефоном.")).toBe(true);
    expect(isRequest('Хватит ссылок. Зови старших.')).toBe(true);
    expect(isRequest('Я вчера разговаривал с менеджером, он всё объяснил, спасибо.')).toBe(false);
    expect(isRequest('Хочу, чтобы курьер приехал после шести.')).toBe(false);
    expect(isRequest('Как организовать звонок с клиентом в вашей CRM?')).toBe(false);
  });

  it('reads a meeting asked for with a person of the business, unless it is refused or asked about', () => {
    expect(rules('Можно ли записаться на личную встречу с вашим консультантом в офисе?')).toBe('meeting');
    expect(rules('Before we sign, we ask for a meeting with your production manager in person.')).toBe('meeting');
    expect(isRequest('Встреча с менеджером не нужна, пришлите договор.')).toBe(false);
    // A meeting asked about, or told of, is not asked for.
    expect(isRequest('Is the meeting with the coach included in the price?')).toBe(false);
    expect(isRequest('The meeting with the manager went well, thanks')).toBe(false);
    expect(isRequest('Вчера была встреча с куратором, всё понятно')).toBe(false);
    expect(isRequest('Как договориться о встрече с куратором?')).toBe(false);
  });
});

describe('readOperatorRequest, round after holdouts 26 and 28', () => {
  // Sentences written for these tests, in the shapes of those sets' misses.
  it('reads visits after "чтобы", owners, masters and talking after an embedded "как"', () => {
    expect(isRequest('Можно, чтобы ваш специалист подъехал на дачу и посмотрел насос?')).toBe(true);
    expect(isRequest('Можно связаться с владельцем магазина? Мне продали бракованный чайник.')).toBe(true);
    expect(isRequest('пусть мастер перезвонит мне до обеда')).toBe(true);
    expect(isRequest('Хочу узнать, как у сына дела на тренировке, можно поговорить с тренером?')).toBe(true);
    expect(isRequest('хочу записаться к мастеру на маникюр в пятницу')).toBe(false);
    expect(isRequest('Можно ли передать мастер-класс другому человеку?')).toBe(false);
    expect(isRequest('дайте расписание мастер-классов на май')).toBe(false);
    // Someone else's thing: the owner of a listing is not a person of the business.
    expect(isRequest('как связаться с владельцем объявления?')).toBe(false);
    expect(isRequest('how do I contact the owner of the listing?')).toBe(false);
  });

  it('reads "email me" after a person, "pass my number to" and the senior of a shift', () => {
    expect(isRequest('Please have your sales manager email me the details.')).toBe(true);
    expect(isRequest('Can you pass my number to the person in charge of weddings? 555 0199')).toBe(true);
    expect(isRequest('Please pass our thanks to the chef, dinner was lovely.')).toBe(false);
    expect(isRequest('Where can I pass the exam with an instructor?')).toBe(false);
    expect(isRequest('Мне нужен старший смены, кассир отказывается принять возврат.')).toBe(true);
    expect(isRequest('мой старший сын хочет записаться на курс')).toBe(false);
  });

  it('reads "any … online?" as asking whether a person is there, not "online on weekends"', () => {
    expect(readOperatorRequestRules('any staff online? the printer is jammed').rule).toBe('presence-question');
    expect(isRequest('Is the manager online on weekends?')).toBe(false);
  });
});

describe('readOperatorRequest, round after holdouts 27 and 29 (letters)', () => {
  const letter = (...paragraphs: string[]): string => ['Добрый день!', ...paragraphs, 'С уважением,\nАнна'].join('\n\n');

  it('reads a want in a letter only beside the person it wants', () => {
    const questions = letter(
      'Я впервые еду к вам на базу с собственным снаряжением и хочу заранее разобраться с порядком.',
      'Где хранится снаряжение: есть ли отдельная комната, за которой следит сотрудник? Можно ли оставить там лодку на ночь? Нужно ли заранее сообщать номер путёвки?',
    );
    expect(questions.length).toBeGreaterThan(200);
    expect(isRequest(questions)).toBe(false);
    expect(
      isRequest(letter('Заказ 4471 пришёл без пульта, второй раз пишу по этому поводу.', 'Хочу, чтобы со мной связался менеджер.')),
    ).toBe(true);
  });

  it('reads a call the letter declines as reported in the sentence that names it', () => {
    const declined = letter(
      'Оформил бронь зала на 15 марта через сайт (бронь № 4412). Пришло письмо, что администратор перезвонит для подтверждения.',
      'Не нужно звонить, пожалуйста, я на работе. Если всё в порядке, подтвердите ответом на это письмо.',
    );
    expect(isRequest(declined)).toBe(false);
  });

  it('reads escalation declined as no request', () => {
    expect(
      isRequest('Please ignore my earlier email, my wife had booked it under her account. No need to escalate anything, all sorted.'),
    ).toBe(false);
    expect(isRequest('Please escalate this to someone senior, the refund is three weeks late.')).toBe(true);
  });
});

describe('readOperatorRequest, round after holdouts 30 and 31', () => {
  // Sentences written for these tests, in the shapes of those sets' misses.
  it('reads more of Russian typed in Latin letters: call verbs, "чтобы", roles, a missing soft sign', () => {
    expect(isRequest('dobryj den, mozhno chtoby mne perezvonili? ne ponimayu pro dostavku')).toBe(true);
    expect(isRequest('pust mne pozvonit master, u menya kran techet')).toBe(true);
    expect(isRequest('hochu obsudit s masterom remont kresla')).toBe(true);
    expect(isRequest('please post it to my address, thanks')).toBe(false);
  });

  it('reads talking something over with someone, and nobody as nobody', () => {
    expect(isRequest("I'd love to talk it through with one of your planners on the phone")).toBe(true);
    expect(isRequest("I'd rather go over this with a person: is that lens safe for a teenager?")).toBe(true);
    expect(isRequest('Можно обсудить детали с фотографом?')).toBe(true);
    expect(isRequest("I'd like to go to the shop with my kids on Sunday")).toBe(false);
    expect(isRequest('Я не хочу ни с кем говорить, просто пришлите чек на почту')).toBe(false);
  });

  it('reads a number passed on, a call booked from a person and the one on duty', () => {
    expect(isRequest('передайте директору мой номер')).toBe(true);
    expect(isRequest('Передайте ему, пожалуйста, мой номер, пусть перезвонит.')).toBe(true);
    expect(isRequest('Передайте ему спасибо за помощь.')).toBe(false);
    expect(isRequest('какой номер телефона у бухгалтерии?')).toBe(false);
    expect(isRequest('Поставьте мне звонок от менеджера завтра после 14:00')).toBe(true);
    expect(isRequest('Дежурный на стоянке где? Пусть подойдёт к третьему ряду')).toBe(true);
    expect(isRequest('где ближайшая дежурная аптека? дайте адрес')).toBe(false);
  });

  it('reads "anyone alive" in its own sentence, whatever administration the sentence before names', () => {
    expect(isRequest('Ну конечно, бот лучше знает, сколько стоит заправка. Есть там кто-нибудь живой?')).toBe(true);
    expect(isRequest('Is anyone available to chat about my order?')).toBe(true);
    expect(isRequest('Сколько у вас живых операторов на линии?')).toBe(false);
  });
});

describe('readOperatorRequestRules, round after holdouts 32 and 33', () => {
  // Sentences written for these tests, in the shapes of those sets' misses.
  const rules = (text: string): string => readOperatorRequestRules(text).rule;

  it('reads sorting out or going over something with a person, not with one’s own people', () => {
    expect(rules("I'd prefer to sort this out with a person. The parcel was signed for by a stranger.")).toBe('talk-with');
    expect(rules('Хочу обсудить надпись непосредственно с гравёром, форма на сайте короткая.')).toBe('talk-with');
    expect(readOperatorRequestRules('Can I go over the invoice with my accountant first?').isRequest).toBe(false);
  });

  it('reads a person who gets in touch, a person asked to dial, and a call after "чтобы" six words on', () => {
    expect(rules('Can your sales manager get in touch? school@example.com')).toBe('entity+verb');
    expect(readOperatorRequestRules('How do I get in touch with a developer on github?').isRequest).toBe(false);
    expect(rules('Может продавец мне набрать? Хочу подобрать размер голосом.')).toBe('callback');
    expect(rules('Можно попросить диспетчера набрать мне? Курьер уже в пути')).toBe('callback');
    expect(rules('Можно, чтобы ваш специалист посмотрел фото и перезвонил?')).toBe('entity+verb');
  });
});
