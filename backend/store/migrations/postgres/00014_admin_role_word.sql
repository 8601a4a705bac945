-- +goose Up
-- The Admin role is named with the word the console shows for it, so that a
-- list, an export and the history say one word. An organization that already
-- has a custom role of that name keeps the old one.
UPDATE roles SET name = 'Administrateur'
WHERE is_admin = TRUE AND name = 'Admin'
  AND NOT EXISTS (SELECT 1 FROM roles other WHERE other.org_id = roles.org_id AND lower(other.name) = 'administrateur');

-- +goose Down
UPDATE roles SET name = 'Admin' WHERE is_admin = TRUE AND name = 'Administrateur';
