-- +goose Up
-- The history is keyed from now on (HMAC-SHA-256 with a key kept outside the
-- database, see backend/audit): each organization's entries are numbered so
-- its own check needs no walk of the others', the head is keyed, and keyed
-- checkpoints mark the chain (the seal: where the entries from before the key
-- end; one every 1,000 entries; a break where a head the key did not make was
-- found). Existing entries stay as they were written, fixed by the seal that
-- the first start with a key writes.
ALTER TABLE audit_events ADD COLUMN org_seq BIGINT;
ALTER TABLE audit_head ADD COLUMN mac TEXT NOT NULL DEFAULT '';
CREATE TABLE audit_checkpoints (
    seq BIGINT NOT NULL,
    kind TEXT NOT NULL,
    hash TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    mac TEXT NOT NULL,
    PRIMARY KEY (seq, kind)
);
CREATE INDEX audit_checkpoints_kind ON audit_checkpoints(kind, seq);
CREATE TABLE audit_org_heads (
    org_id TEXT PRIMARY KEY,
    legacy_count BIGINT NOT NULL DEFAULT 0,
    legacy_digest TEXT NOT NULL DEFAULT '',
    org_seq BIGINT NOT NULL DEFAULT 0,
    seq BIGINT NOT NULL DEFAULT 0,
    hash TEXT NOT NULL DEFAULT '',
    mac TEXT NOT NULL
);

-- Entries and checkpoints are append-only in the database itself: nothing in
-- Atrium changes or removes them (deleting an account or an organization
-- keeps its entries), so any attempt is refused, a TRUNCATE too.
-- +goose StatementBegin
CREATE FUNCTION atrium_history_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'history rows cannot be changed or removed (%)', TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION atrium_history_append_only();
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION atrium_history_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION atrium_history_append_only();
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
    FOR EACH ROW EXECUTE FUNCTION atrium_history_append_only();
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
    FOR EACH ROW EXECUTE FUNCTION atrium_history_append_only();
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION atrium_history_append_only();

-- +goose Down
DROP TRIGGER audit_checkpoints_no_truncate ON audit_checkpoints;
DROP TRIGGER audit_checkpoints_no_delete ON audit_checkpoints;
DROP TRIGGER audit_checkpoints_no_update ON audit_checkpoints;
DROP TRIGGER audit_events_no_truncate ON audit_events;
DROP TRIGGER audit_events_no_delete ON audit_events;
DROP TRIGGER audit_events_no_update ON audit_events;
DROP FUNCTION atrium_history_append_only();
DROP TABLE audit_org_heads;
DROP TABLE audit_checkpoints;
ALTER TABLE audit_head DROP COLUMN mac;
ALTER TABLE audit_events DROP COLUMN org_seq;
