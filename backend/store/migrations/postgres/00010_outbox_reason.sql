-- +goose Up
-- Why a message's last delivery failed, as a word the console translates
-- (mail.Reason*: unreachable, tls, auth, recipient…); last_error keeps the
-- technical detail for the logs and support.
ALTER TABLE outbox ADD COLUMN last_reason TEXT NOT NULL DEFAULT '';
UPDATE outbox SET last_reason = 'interrupted' WHERE last_error = 'interrupted while sending';
UPDATE outbox SET last_reason = 'other' WHERE last_error <> '' AND last_reason = '';

-- +goose Down
ALTER TABLE outbox DROP COLUMN last_reason;
