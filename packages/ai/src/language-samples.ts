/**
 * Short samples of ordinary Russian and English prose, written for this package. The keyboard-layout
 * fixer learns letter-pair frequencies from them to judge which reading of a string is plausible.
 * They need not be large: letter-pair statistics of a language settle within a few thousand letters.
 */
export const RUSSIAN_SAMPLE = `
Здравствуйте! Подскажите, пожалуйста, как оплатить заказ картой и когда придет доставка. Я хочу
поговорить с оператором, потому что бот не понимает мой вопрос. Позовите живого человека, соедините
со специалистом или переключите на менеджера. Спасибо большое, всё понятно, вопрос решен. Добрый день,
у меня не работает личный кабинет, не могу войти, забыл пароль, письмо с кодом не приходит. Где мой
заказ, почему так долго, уже неделю жду посылку. Верните деньги за товар, он пришел сломанный, хочу
оформить возврат и получить чек. Сколько стоит доставка в Москву и Казань, есть ли самовывоз из пункта
выдачи? Какие способы оплаты вы принимаете, можно ли оплатить при получении наличными или переводом?
Привет, как дела, что нового, когда вы работаете, в выходные тоже отвечаете? Мы компания, нам нужен
счет для юридического лица и договор, пришлите реквизиты на почту. Сотрудник поддержки обещал
перезвонить, но никто не перезвонил. Ужасный сервис, очень плохо, я недоволен, буду жаловаться.
Объясните, пожалуйста, что значит этот статус и как настроить уведомления в приложении на телефоне.
Отлично, хорошо, понятно, жду ответа. Дайте, пожалуйста, ссылку на инструкцию. Нужна помощь с
подключением интеграции, не получается добавить нового пользователя в систему, выдает ошибку.
Скажите, где посмотреть историю заявок и как изменить адрес электронной почты в профиле. Мне нужно
срочно решить вопрос, это очень важно, товар нужен к пятнице. Можно ли поменять размер или цвет?
Здесь написано, что скидка действует до конца месяца, а у меня не применилась при оформлении.
Вчера пытался связаться с вами по телефону, но линия занята. Хочу узнать подробнее о тарифах и ценах.
Ваш сайт не открывается, страница не загружается, пишет ошибку сервера. Что делать дальше?
Большое спасибо за быстрый ответ и помощь, всего доброго, хорошего дня, до свидания.
`;

/** See {@link RUSSIAN_SAMPLE}. */
export const ENGLISH_SAMPLE = `
Hello! Could you please tell me how to pay for my order by card and when the delivery will arrive?
I want to talk to a human operator because the bot does not understand my question. Please connect
me with a real person, a support agent or a manager. Thank you very much, everything is clear now,
the problem is solved. Good morning, my account does not work, I cannot log in, I forgot my password
and the email with the code never comes. Where is my order, why is it taking so long, I have been
waiting for the parcel for a week. Give me my money back, the item arrived broken, I want a refund
and a receipt. How much does shipping to London and Berlin cost, can I pick it up myself? Which
payment methods do you accept, can I pay cash on delivery? Hi, how are you, what is new, when are
you open, do you answer at the weekend too? We are a company and we need an invoice and a contract,
send the details by mail. Your support person promised to call back but nobody called. Terrible
service, very bad, I am not happy and I will complain. Please explain what this status means and how
to set up notifications in the mobile app. Great, fine, got it, waiting for your reply. Please give me
a link to the guide. I need help with the integration, I cannot add a new user to the system, it shows
an error. Tell me where to see the ticket history and how to change the email address in my profile.
I need to solve this quickly, it is very important, I need the item by Friday. Can I change the size
or the colour? It says the discount is valid until the end of the month but it was not applied at
checkout. Yesterday I tried to reach you by phone but the line was busy. I would like to know more
about your plans and prices. Your website does not open, the page does not load, it shows a server
error. What should I do next? Thanks a lot for the quick answer and the help, have a nice day, bye.
Human resources, user agent, operator, representative, someone, please, thanks, pls, thx, ok.
`;
