-- Up Migration
-- The ingress keeps verified webhook tokens in memory. A token revoked, re-dated (a rotation's
-- grace period) or deleted is announced on the config channel like integrations and skills, so
-- every ingress drops its copies at once instead of accepting the token until its copy expires.
-- Recording a token's use (last_used_at) announces nothing.
CREATE TRIGGER webhook_tokens_config_changed AFTER UPDATE OF revoked_at, expires_at, token_hash OR DELETE ON webhook_tokens
  FOR EACH ROW EXECUTE FUNCTION hde_notify_config_change();

-- Down Migration
DROP TRIGGER IF EXISTS webhook_tokens_config_changed ON webhook_tokens;
