-- +goose Up
-- Members, roles and applications (SPEC C1, C5, C6, D1-D7, B7, A8).
-- Employee reference and job title belong to a membership: the same person
-- may have a different one in each organization.
ALTER TABLE memberships ADD COLUMN employee_ref TEXT NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN job_title TEXT NOT NULL DEFAULT '';
-- Search and sort keys (lower case) copied from the account, kept current by
-- the triggers below, so the member list searches, filters and pages on
-- indexes of one organization (100,000 members in a few milliseconds).
ALTER TABLE memberships ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN first_key TEXT NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN email_key TEXT NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN emp_key TEXT NOT NULL DEFAULT '';
UPDATE memberships SET
    sort_key = (SELECT lower(a.last_name || ' ' || a.first_name) FROM accounts a WHERE a.id = memberships.account_id),
    first_key = (SELECT lower(a.first_name) FROM accounts a WHERE a.id = memberships.account_id),
    email_key = (SELECT lower(a.email) FROM accounts a WHERE a.id = memberships.account_id);
CREATE INDEX memberships_sort ON memberships(org_id, sort_key, id);
CREATE INDEX memberships_status_sort ON memberships(org_id, status, sort_key, id);
CREATE INDEX memberships_first ON memberships(org_id, first_key);
CREATE INDEX memberships_email ON memberships(org_id, email_key);
CREATE INDEX memberships_emp ON memberships(org_id, emp_key);
CREATE INDEX membership_roles_role ON membership_roles(role_id, membership_id);

-- +goose StatementBegin
CREATE TRIGGER memberships_keys_insert AFTER INSERT ON memberships BEGIN
    UPDATE memberships SET
        sort_key = (SELECT lower(a.last_name || ' ' || a.first_name) FROM accounts a WHERE a.id = NEW.account_id),
        first_key = (SELECT lower(a.first_name) FROM accounts a WHERE a.id = NEW.account_id),
        email_key = (SELECT lower(a.email) FROM accounts a WHERE a.id = NEW.account_id),
        emp_key = lower(NEW.employee_ref)
    WHERE id = NEW.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER memberships_keys_employee_ref AFTER UPDATE OF employee_ref ON memberships BEGIN
    UPDATE memberships SET emp_key = lower(NEW.employee_ref) WHERE id = NEW.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER accounts_member_keys AFTER UPDATE OF first_name, last_name, email ON accounts BEGIN
    UPDATE memberships SET
        sort_key = lower(NEW.last_name || ' ' || NEW.first_name),
        first_key = lower(NEW.first_name),
        email_key = lower(NEW.email)
    WHERE account_id = NEW.id;
END;
-- +goose StatementEnd

-- Applications enabled in an organization (SPEC B7).
CREATE TABLE org_applications (
    org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    app TEXT NOT NULL,
    enabled_at DATETIME NOT NULL,
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
DROP TRIGGER accounts_member_keys;
DROP TRIGGER memberships_keys_employee_ref;
DROP TRIGGER memberships_keys_insert;
DROP INDEX membership_roles_role;
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
