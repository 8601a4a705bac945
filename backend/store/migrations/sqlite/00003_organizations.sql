-- +goose Up
-- Organizations (SPEC B2-B5, B9): website, responsible member, closing date,
-- and a folded copy of the name for the filter (lower case, no accents).
ALTER TABLE organizations ADD COLUMN website TEXT NOT NULL DEFAULT '';
ALTER TABLE organizations ADD COLUMN search_name TEXT NOT NULL DEFAULT '';
ALTER TABLE organizations ADD COLUMN responsible_id TEXT REFERENCES accounts(id) ON DELETE SET NULL;
ALTER TABLE organizations ADD COLUMN closed_at DATETIME;
UPDATE organizations SET search_name = lower(name);
CREATE INDEX memberships_account_status ON memberships(account_id, status, org_id);

-- The company profile of an organization (SPEC B5): one row per organization.
CREATE TABLE company_profiles (
    org_id TEXT PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
    legal_name TEXT NOT NULL DEFAULT '',
    siret TEXT NOT NULL DEFAULT '',
    vat TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL DEFAULT '',
    mobile_phone TEXT NOT NULL DEFAULT '',
    company_phone TEXT NOT NULL DEFAULT '',
    updated_at DATETIME NOT NULL
);

-- Tasks of an organization: what later issues reassign when a member leaves.
CREATE TABLE tasks (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    due_date TEXT,
    status TEXT NOT NULL DEFAULT 'open',
    assignee_id TEXT REFERENCES accounts(id) ON DELETE SET NULL,
    creator_id TEXT REFERENCES accounts(id) ON DELETE SET NULL,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    completed_at DATETIME
);
CREATE INDEX tasks_org ON tasks(org_id, id);
CREATE INDEX tasks_org_status ON tasks(org_id, status, id);
CREATE INDEX tasks_org_assignee ON tasks(org_id, assignee_id, status, id);

-- +goose Down
DROP TABLE tasks;
DROP TABLE company_profiles;
DROP INDEX memberships_account_status;
ALTER TABLE organizations DROP COLUMN closed_at;
ALTER TABLE organizations DROP COLUMN responsible_id;
ALTER TABLE organizations DROP COLUMN search_name;
ALTER TABLE organizations DROP COLUMN website;
