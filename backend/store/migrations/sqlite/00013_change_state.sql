-- +goose Up
-- The change log carries the entity's new state (as JSON; none when the
-- entity was deleted or holds a secret), so the offline sync and the live
-- stream can apply a change elsewhere without reading it back.
ALTER TABLE change_log ADD COLUMN state TEXT;

-- +goose Down
ALTER TABLE change_log DROP COLUMN state;
