/** The body to paste into the HDE dispatcher rule's «Отправить вебхук» action. */
export const WEBHOOK_BODY_TEMPLATE = `{ "message": "{answer_last}", "message_author_id": "{last_post_user_id}", "customer_id": "{user_id}",
  "ticket_id": "{ticket_id}", "status_id": "{status_id}", "user_name": "{user_name}",
  "last_answer_date": "{last_post_date}", "last_customer_message_date": "{last_client_post_date}",
  "chat_id": "{meta_chat_id}" }`;

/** The webhook URL of a token. */
export function webhookUrl(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/api/bots/helpdeskeddy_bot/webhook/${token}`;
}

/** Step-by-step instructions for the HDE dispatcher rule. */
export function dispatcherSteps(url: string): string {
  return [
    'In HelpDeskEddy: Управление → Диспетчер → Добавить правило.',
    '  1. Условия: «Новая заявка» and «Новый ответ в заявке» (one rule each, or one rule with both).',
    '  2. Действие: «Отправить вебхук».',
    '  3. Режим: асинхронный; повторные попытки: выключены.',
    '  4. Метод: POST; URL:',
    `       ${url}`,
    '  5. Формат тела: JSON; авторизация: нет (the token in the URL authenticates).',
    '  6. Тело запроса:',
    WEBHOOK_BODY_TEMPLATE.split('\n').map((l) => `       ${l}`).join('\n'),
    '',
    'WARNING: replies sent through the API reach messenger channels (Telegram, WhatsApp, VK…) only after',
    'HelpDeskEddy support enables sending API replies to messenger channels for your account. Ask them first.',
  ].join('\n');
}
