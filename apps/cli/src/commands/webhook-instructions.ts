import { WEBHOOK_BODY_TEMPLATE } from '@repo/domain';

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
    WEBHOOK_BODY_TEMPLATE.split('\n')
      .map((l) => `       ${l}`)
      .join('\n'),
    '',
    'WARNING: replies sent through the API reach messenger channels (Telegram, WhatsApp, VK…) only after',
    'HelpDeskEddy support enables sending API replies to messenger channels for your account. Ask them first.',
  ].join('\n');
}
