import { translator } from '../src/i18n/translate';
import { tokenView } from '../src/views/integration.view';

describe('the webhook URL shown once at setup', () => {
  const render = (webhookUrl: string) =>
    tokenView({ t: translator('en'), locale: 'en' }, { integrationId: 'i1', webhookUrl, body: '{}' }).value;

  it('warns when the address HDE is to call is not https', () => {
    expect(render('http://203.0.113.5:3000/api/bots/helpdeskeddy_bot/webhook/hdeb_x')).toContain('data-testid="webhook-url-not-https"');
    expect(render('https://bot.example.com/api/bots/helpdeskeddy_bot/webhook/hdeb_x')).not.toContain('webhook-url-not-https');
  });
});
