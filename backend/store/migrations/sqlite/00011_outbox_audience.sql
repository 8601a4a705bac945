-- +goose Up
-- Who may read a message's text, link and code on the outbox screen, decided
-- when it is queued: '' nobody (the default, so a new kind of message keeps
-- its secret), 'org' the admins of its organization (invitations, test
-- messages), 'custodian' those admins only while the account belongs to that
-- organization alone (an admin's reset on a standalone desktop), 'owner' the
-- account itself and those custodians. Messages written before are shown
-- only when they are invitations or tests: the rest carried links meant for
-- one person.
ALTER TABLE outbox ADD COLUMN audience TEXT NOT NULL DEFAULT '';
UPDATE outbox SET audience = 'org' WHERE kind IN ('invitation', 'test');

-- +goose Down
ALTER TABLE outbox DROP COLUMN audience;
