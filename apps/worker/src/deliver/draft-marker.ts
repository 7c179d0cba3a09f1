import type { Language } from '@repo/domain';

const MARKERS: Record<'ru' | 'en' | 'uk', string> = {
  ru: 'Черновик ИИ-консультанта — проверьте и отправьте',
  en: 'AI consultant draft — check it and send it',
  uk: 'Чернетка ШІ-консультанта — перевірте та надішліть',
};

/**
 * The text of a draft note: the bot's answer under a marker that says it is a bot draft, so an agent
 * reading the ticket in HDE never takes it for a colleague's note or an answer already sent. The
 * marker speaks the language the answer was written in (Russian when unknown). Only the note carries
 * it: an approved draft is sent from the turn's own reply, without the marker.
 */
export function draftNoteHtml(replyHtml: string, language: Language | undefined): string {
  const marker = MARKERS[language === 'en' || language === 'uk' ? language : 'ru'];
  return `<p><b>${marker}</b></p>\n${replyHtml}`;
}
