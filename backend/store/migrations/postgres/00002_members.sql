-- +goose Up
-- Members, roles and applications (SPEC C1, C5, C6, D1-D7, B7, A8).
-- Employee reference and job title belong to a membership: the same person
-- may have a different one in each organization.
ALTER TABLE memberships ADD COLUMN employee_ref TEXT NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN job_title TEXT NOT NULL DEFAULT '';
-- Search and sort keys (lower case, byte order as on SQLite) copied from the
-- account, kept current by the triggers below, so the member list searches,
-- filters and pages on indexes of one organization.
ALTER TABLE memberships ADD COLUMN sort_key TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN first_key TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN email_key TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN emp_key TEXT COLLATE "C" NOT NULL DEFAULT '';
UPDATE memberships m SET sort_key = lower(a.last_name || ' ' || a.first_name), first_key = lower(a.first_name),
    email_key = lower(a.email)
FROM accounts a WHERE a.id = m.account_id;
CREATE INDEX memberships_sort ON memberships(org_id, sort_key, id);
CREATE INDEX memberships_status_sort ON memberships(org_id, status, sort_key, id);
CREATE INDEX memberships_first ON memberships(org_id, first_key);
CREATE INDEX memberships_email ON memberships(org_id, email_key);
CREATE INDEX memberships_emp ON memberships(org_id, emp_key);
CREATE INDEX memberships_account_prefix ON memberships(org_id, account_id COLLATE "C");
CREATE INDEX membership_roles_role ON membership_roles(role_id, membership_id);

-- +goose StatementBegin
CREATE FUNCTION atrium_membership_keys() RETURNS trigger AS $$
BEGIN
    SELECT lower(a.last_name || ' ' || a.first_name), lower(a.first_name), lower(a.email)
        INTO NEW.sort_key, NEW.first_key, NEW.email_key
        FROM accounts a WHERE a.id = NEW.account_id;
    NEW.emp_key := lower(NEW.employee_ref);
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER memberships_keys BEFORE INSERT OR UPDATE OF employee_ref, account_id ON memberships
    FOR EACH ROW EXECUTE FUNCTION atrium_membership_keys();

-- +goose StatementBegin
CREATE FUNCTION atrium_account_member_keys() RETURNS trigger AS $$
BEGIN
    UPDATE memberships SET sort_key = lower(NEW.last_name || ' ' || NEW.first_name),
        first_key = lower(NEW.first_name), email_key = lower(NEW.email)
    WHERE account_id = NEW.id;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER accounts_member_keys AFTER UPDATE OF first_name, last_name, email ON accounts
    FOR EACH ROW EXECUTE FUNCTION atrium_account_member_keys();

-- Applications enabled in an organization (SPEC B7).
CREATE TABLE org_applications (
    org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    app TEXT NOT NULL,
    enabled_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (org_id, app)
);

-- Applications granted to a member (SPEC B7, A8).
CREATE TABLE membership_applications (
    membership_id TEXT NOT NULL REFERENCES memberships(id) ON DELETE CASCADE,
    app TEXT NOT NULL,
    org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    PRIMARY KEY (membership_id, app)
);
CREATE INDEX membership_applications_org ON membership_applications(org_id, app);

-- +goose Down
DROP TABLE membership_applications;
DROP TABLE org_applications;
DROP TRIGGER accounts_member_keys ON accounts;
DROP FUNCTION atrium_account_member_keys();
DROP TRIGGER memberships_keys ON memberships;
DROP FUNCTION atrium_membership_keys();
DROP INDEX membership_roles_role;
DROP INDEX memberships_account_prefix;
DROP INDEX memberships_emp;
DROP INDEX memberships_email;
DROP INDEX memberships_first;
DROP INDEX memberships_status_sort;
DROP INDEX memberships_sort;
ALTER TABLE memberships DROP COLUMN emp_key;
ALTER TABLE memberships DROP COLUMN email_key;
ALTER TABLE memberships DROP COLUMN first_key;
ALTER TABLE memberships DROP COLUMN sort_key;
ALTER TABLE memberships DROP COLUMN job_title;
ALTER TABLE memberships DROP COLUMN employee_ref;
