import type { Locale } from '../i18n/messages';

const TEXT = {
  ru: {
    keyTitle: 'API-ключ HDE',
    keyHint:
      'Новый ключ сначала проверяется в HDE (один запрос от имени учётной записи бота) и только потом сохраняется — в зашифрованном виде. Показать сохранённый ключ нельзя. Бот начинает работать с новым ключом со следующей заявки, перезапуск не нужен.',
    keyNew: 'Новый API-ключ учётной записи бота',
    keySave: 'Проверить и заменить ключ',
    keySaved: 'Новый ключ принят HDE и сохранён. Бот использует его со следующей заявки.',
    keyRejected: 'HDE не принял этот ключ для {email}. Скопируйте ключ учётной записи бота в HDE ещё раз.',
    keyUnreachable: 'HDE не ответил ({reason}), ключ не сохранён. Попробуйте ещё раз позже.',
    keyEmpty: 'Введите новый API-ключ.',
    disabledBanner:
      'Интеграция выключена: вебхуки HDE принимаются и сохраняются, но бот ничего не отправляет в HDE — ни ответов, ни черновиков, ни передач.',
    lifecycle: 'Выключить или удалить',
    disable: 'Выключить интеграцию',
    enable: 'Включить интеграцию',
    delete: 'Удалить интеграцию',
    disableHint: 'Выключенная интеграция принимает вебхуки, но ничего не отправляет. Включить её можно в любой момент.',
    deleteHint:
      'Удаление убирает интеграцию, её токены вебхука и настройки, а также историю её диалогов. Вебхуки с её токеном после этого отклоняются как неизвестные.',
    confirmDisable: 'Выключить интеграцию «{name}»? Бот перестанет отвечать в HDE, пока её не включат снова.',
    confirmDelete:
      'Удалить интеграцию «{name}» вместе с историей диалогов? Токены вебхука перестанут работать сразу. Отменить удаление нельзя.',
    deleted: 'Интеграция «{name}» удалена.',
    directoryUnavailable: 'Не удалось получить отделы и сотрудников из HDE ({reason}) — укажите ID вручную.',
    chooseDepartment: '— выберите отдел —',
    chooseAgent: '— выберите сотрудника —',
    handoffDepartment: 'Передавать в отдел',
    handoffAgent: 'Передавать сотруднику',
    handoffSummary: 'Передача оператору',
    noTarget: 'не задано',
    handoff_agent_missing: 'Выберите сотрудника, которому бот передаёт заявки.',
    handoff_department_missing: 'Выберите отдел, в который бот передаёт заявки.',
    handoff_department_unknown: 'В HDE нет отдела с ID {id}. Выберите отдел из списка.',
    fixErrors: 'Параметры не сохранены: исправьте отмеченные поля.',
    setupHandoffHint:
      'Кому бот передаёт заявки, которые не может решить сам. Для «в отдел» и «наименее загруженному» нужен отдел, для «сотруднику» — сотрудник. После подключения их можно выбрать из списков HDE в параметрах интеграции.',
    replyModeNote:
      'Режим ответов: черновики. Бот пишет каждый ответ внутренней заметкой в заявке HDE с пометкой «Черновик ИИ-консультанта — проверьте и отправьте». Клиенты ничего не получают, пока вы не одобрите черновик на странице диалога или не включите публичные ответы в параметрах интеграции.',
    replyModePublic: 'Режим ответов: публичные ответы. Бот сразу отвечает клиентам в заявках HDE.',
    replyModeOff: 'Режим ответов: выключено. Бот только наблюдает и ничего не пишет в HDE.',
  },
  en: {
    keyTitle: 'HDE API key',
    keyHint:
      'A new key is first checked in HDE (one request as the bot account) and only then saved, encrypted. The saved key is never shown. The bot uses the new key from its next ticket on; nothing needs restarting.',
    keyNew: "New API key of the bot's account",
    keySave: 'Check and replace the key',
    keySaved: 'HDE accepted the new key and it is saved. The bot uses it from the next ticket on.',
    keyRejected: "HDE did not accept this key for {email}. Copy the bot account's key from HDE again.",
    keyUnreachable: 'HDE did not answer ({reason}); the key was not saved. Try again later.',
    keyEmpty: 'Enter the new API key.',
    disabledBanner:
      'This integration is off: HDE webhooks are received and stored, but the bot sends nothing to HDE — no replies, drafts or hand-offs.',
    lifecycle: 'Switch off or delete',
    disable: 'Switch the integration off',
    enable: 'Switch the integration on',
    delete: 'Delete the integration',
    disableHint: 'A switched-off integration receives webhooks but sends nothing. You can switch it on again at any time.',
    deleteHint:
      'Deleting removes the integration, its webhook tokens and settings, and the history of its dialogs. Webhooks with its token are then refused like unknown ones.',
    confirmDisable: 'Switch off the integration “{name}”? The bot stops acting in HDE until it is switched on again.',
    confirmDelete:
      'Delete the integration “{name}” with its dialogs history? Its webhook tokens stop working at once. This cannot be undone.',
    deleted: 'The integration “{name}” was deleted.',
    directoryUnavailable: 'Departments and agents could not be read from HDE ({reason}): enter the ids.',
    chooseDepartment: '— choose a department —',
    chooseAgent: '— choose an agent —',
    handoffDepartment: 'Hand off to department',
    handoffAgent: 'Hand off to agent',
    handoffSummary: 'Hand-off',
    noTarget: 'not set',
    handoff_agent_missing: 'Choose the agent the bot hands tickets to.',
    handoff_department_missing: 'Choose the department the bot hands tickets to.',
    handoff_department_unknown: 'HDE has no department with id {id}. Choose one from the list.',
    fixErrors: 'The settings were not saved: fix the marked fields.',
    setupHandoffHint:
      'Who gets the tickets the bot cannot solve. “The department” and “least-loaded” need a department, “the agent” needs an agent. Once connected you can pick them from HDE’s lists in the integration settings.',
    replyModeNote:
      'Reply mode: drafts. The bot writes each answer as an internal note in the HDE ticket, marked “AI consultant draft — check it and send it”. Customers get nothing until you approve a draft on the dialog page or switch the integration to public replies.',
    replyModePublic: 'Reply mode: public replies. The bot answers customers in HDE tickets right away.',
    replyModeOff: 'Reply mode: off. The bot only observes and writes nothing in HDE.',
  },
};

/** The integration pages' own strings (setup result, key, lifecycle, hand-off target). */
export type IntegrationText = (typeof TEXT)['en'];

/** The strings of a locale. */
export function integrationText(locale: Locale): IntegrationText {
  return (TEXT[locale] ?? TEXT.en) as IntegrationText;
}

/** Fills `{name}` placeholders. */
export function fill(text: string, vars: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

/** The words for a refused field (see `IntegrationFieldError`), placeholders filled. */
export function problemText(
  x: IntegrationText,
  problem:
    | 'handoff_agent_missing'
    | 'handoff_department_missing'
    | 'handoff_department_unknown'
    | 'api_key_empty'
    | 'api_key_rejected'
    | 'hde_unreachable',
  vars: Record<string, string | number>,
): string {
  const text = {
    handoff_agent_missing: x.handoff_agent_missing,
    handoff_department_missing: x.handoff_department_missing,
    handoff_department_unknown: x.handoff_department_unknown,
    api_key_empty: x.keyEmpty,
    api_key_rejected: x.keyRejected,
    hde_unreachable: x.keyUnreachable,
  }[problem];
  return fill(text, vars);
}
