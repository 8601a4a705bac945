-- +goose Up
-- Issue 5, Measure: member searches in 100,000 members and a rights check per
-- call without reading roles and grants on every call.

-- Search indexes that cover the search: each holds the key searched, then the
-- sort key, ID and status, so a search collects its matches in name order from
-- the indexes alone.
DROP INDEX memberships_first;
DROP INDEX memberships_email;
DROP INDEX memberships_emp;
DROP INDEX memberships_account_prefix;
CREATE INDEX memberships_first ON memberships(org_id, first_key, sort_key, id, status);
CREATE INDEX memberships_email ON memberships(org_id, email_key, sort_key, id, status);
CREATE INDEX memberships_emp ON memberships(org_id, emp_key, sort_key, id, status);
CREATE INDEX memberships_account_search ON memberships(org_id, account_id COLLATE "C", sort_key, id, status);

-- A role filter walks the role's holders in name order: membership_roles
-- carries a copy of the member's sort key, kept current by the triggers below.
ALTER TABLE membership_roles ADD COLUMN sort_key TEXT COLLATE "C" NOT NULL DEFAULT '';
UPDATE membership_roles mr SET sort_key = m.sort_key FROM memberships m WHERE m.id = mr.membership_id;
DROP INDEX membership_roles_role;
CREATE INDEX membership_roles_role ON membership_roles(role_id, org_id, sort_key, membership_id);

-- +goose StatementBegin
CREATE FUNCTION atrium_membership_role_sort() RETURNS trigger AS $$
BEGIN
    NEW.sort_key := coalesce((SELECT m.sort_key FROM memberships m WHERE m.id = NEW.membership_id), '');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER membership_roles_sort BEFORE INSERT OR UPDATE OF membership_id ON membership_roles
    FOR EACH ROW EXECUTE FUNCTION atrium_membership_role_sort();

-- +goose StatementBegin
CREATE FUNCTION atrium_member_roles_sort() RETURNS trigger AS $$
BEGIN
    UPDATE membership_roles SET sort_key = NEW.sort_key WHERE membership_id = NEW.id;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER memberships_sort_roles AFTER UPDATE OF sort_key ON memberships
    FOR EACH ROW WHEN (OLD.sort_key IS DISTINCT FROM NEW.sort_key) EXECUTE FUNCTION atrium_member_roles_sort();

-- How many members an organization has per status, kept by the trigger
-- below: the list's total without counting 100,000 rows on each call.
CREATE TABLE member_counts (
    org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (org_id, status)
);
INSERT INTO member_counts (org_id, status, n) SELECT org_id, status, count(*) FROM memberships GROUP BY 1, 2;

-- +goose StatementBegin
CREATE FUNCTION atrium_member_counts() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.org_id IS NOT DISTINCT FROM NEW.org_id AND OLD.status IS NOT DISTINCT FROM NEW.status THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE member_counts SET n = n - 1 WHERE org_id = OLD.org_id AND status = OLD.status;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO member_counts (org_id, status, n) VALUES (NEW.org_id, NEW.status, 1)
        ON CONFLICT (org_id, status) DO UPDATE SET n = member_counts.n + 1;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER member_counts AFTER INSERT OR DELETE OR UPDATE OF org_id, status ON memberships
    FOR EACH ROW EXECUTE FUNCTION atrium_member_counts();

-- The version of an organization's rights: raised by the triggers below by
-- every write that can change what a member may do there (membership status,
-- roles held, a role's rights, direct grants, the two-factor policy, a
-- member's second factor). A cached rights resolution is valid while the
-- version it was computed at is current, whichever process made the change.
ALTER TABLE organizations ADD COLUMN rights_version BIGINT NOT NULL DEFAULT 0;

-- +goose StatementBegin
CREATE FUNCTION atrium_rights_version() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE organizations SET rights_version = rights_version + 1 WHERE id = OLD.org_id;
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.org_id IS DISTINCT FROM OLD.org_id) THEN
        UPDATE organizations SET rights_version = rights_version + 1 WHERE id = NEW.org_id;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER rights_version AFTER INSERT OR DELETE OR UPDATE OF org_id, account_id, status ON memberships
    FOR EACH ROW EXECUTE FUNCTION atrium_rights_version();
CREATE TRIGGER rights_version AFTER INSERT OR DELETE OR UPDATE OF membership_id, role_id, org_id ON membership_roles
    FOR EACH ROW EXECUTE FUNCTION atrium_rights_version();
CREATE TRIGGER rights_version AFTER INSERT OR DELETE OR UPDATE ON membership_rights
    FOR EACH ROW EXECUTE FUNCTION atrium_rights_version();
CREATE TRIGGER rights_version AFTER INSERT OR DELETE OR UPDATE ON role_rights
    FOR EACH ROW EXECUTE FUNCTION atrium_rights_version();
CREATE TRIGGER rights_version AFTER DELETE OR UPDATE OF is_admin, org_id ON roles
    FOR EACH ROW EXECUTE FUNCTION atrium_rights_version();
CREATE TRIGGER rights_version AFTER INSERT OR UPDATE ON org_security
    FOR EACH ROW EXECUTE FUNCTION atrium_rights_version();

-- +goose StatementBegin
CREATE FUNCTION atrium_account_rights_version() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.totp_enabled IS NOT DISTINCT FROM NEW.totp_enabled THEN
        RETURN NULL;
    END IF;
    UPDATE organizations SET rights_version = rights_version + 1
    WHERE id IN (SELECT org_id FROM memberships WHERE account_id = NEW.account_id);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER rights_version AFTER INSERT OR UPDATE OF totp_enabled ON account_security
    FOR EACH ROW EXECUTE FUNCTION atrium_account_rights_version();

-- +goose Down
DROP TRIGGER memberships_sort_roles ON memberships;
DROP FUNCTION atrium_member_roles_sort();
DROP TRIGGER membership_roles_sort ON membership_roles;
DROP FUNCTION atrium_membership_role_sort();
DROP INDEX membership_roles_role;
ALTER TABLE membership_roles DROP COLUMN sort_key;
CREATE INDEX membership_roles_role ON membership_roles(role_id, membership_id);
DROP TRIGGER rights_version ON account_security;
DROP FUNCTION atrium_account_rights_version();
DROP TRIGGER rights_version ON org_security;
DROP TRIGGER rights_version ON roles;
DROP TRIGGER rights_version ON role_rights;
DROP TRIGGER rights_version ON membership_rights;
DROP TRIGGER rights_version ON membership_roles;
DROP TRIGGER rights_version ON memberships;
DROP FUNCTION atrium_rights_version();
ALTER TABLE organizations DROP COLUMN rights_version;
DROP TRIGGER member_counts ON memberships;
DROP FUNCTION atrium_member_counts();
DROP TABLE member_counts;
DROP INDEX memberships_account_search;
DROP INDEX memberships_emp;
DROP INDEX memberships_email;
DROP INDEX memberships_first;
CREATE INDEX memberships_first ON memberships(org_id, first_key);
CREATE INDEX memberships_email ON memberships(org_id, email_key);
CREATE INDEX memberships_emp ON memberships(org_id, emp_key);
CREATE INDEX memberships_account_prefix ON memberships(org_id, account_id COLLATE "C");
