-- +goose Up
-- Issue 5, Measure: member searches in 100,000 members and a rights check per
-- call without reading roles and grants on every call.

-- Search indexes that cover the search: each holds the key searched, then the
-- sort key, ID and status, so a search collects its matches in name order from
-- the indexes alone, without visiting a row per match.
DROP INDEX memberships_first;
DROP INDEX memberships_email;
DROP INDEX memberships_emp;
CREATE INDEX memberships_first ON memberships(org_id, first_key, sort_key, id, status);
CREATE INDEX memberships_email ON memberships(org_id, email_key, sort_key, id, status);
CREATE INDEX memberships_emp ON memberships(org_id, emp_key, sort_key, id, status);
CREATE INDEX memberships_account_search ON memberships(org_id, account_id, sort_key, id, status);

-- A role filter walks the role's holders in name order: membership_roles
-- carries a copy of the member's sort key, kept current by the triggers below.
ALTER TABLE membership_roles ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';
UPDATE membership_roles SET sort_key = coalesce((SELECT m.sort_key FROM memberships m WHERE m.id = membership_roles.membership_id), '');
DROP INDEX membership_roles_role;
CREATE INDEX membership_roles_role ON membership_roles(role_id, org_id, sort_key, membership_id);

-- +goose StatementBegin
CREATE TRIGGER membership_roles_sort_insert AFTER INSERT ON membership_roles BEGIN
    UPDATE membership_roles SET sort_key = coalesce((SELECT m.sort_key FROM memberships m WHERE m.id = NEW.membership_id), '')
    WHERE membership_id = NEW.membership_id AND role_id = NEW.role_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER memberships_sort_roles AFTER UPDATE OF sort_key ON memberships BEGIN
    UPDATE membership_roles SET sort_key = NEW.sort_key WHERE membership_id = NEW.id;
END;
-- +goose StatementEnd

-- How many members an organization has per status, kept by the triggers
-- below: the list's total without counting 100,000 rows on each call.
CREATE TABLE member_counts (
    org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (org_id, status)
);
INSERT INTO member_counts (org_id, status, n) SELECT org_id, status, count(*) FROM memberships GROUP BY 1, 2;

-- +goose StatementBegin
CREATE TRIGGER member_counts_insert AFTER INSERT ON memberships BEGIN
    INSERT INTO member_counts (org_id, status, n) VALUES (NEW.org_id, NEW.status, 1)
        ON CONFLICT (org_id, status) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER member_counts_delete AFTER DELETE ON memberships BEGIN
    UPDATE member_counts SET n = n - 1 WHERE org_id = OLD.org_id AND status = OLD.status;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER member_counts_update AFTER UPDATE OF org_id, status ON memberships
    WHEN OLD.org_id IS NOT NEW.org_id OR OLD.status IS NOT NEW.status BEGIN
    UPDATE member_counts SET n = n - 1 WHERE org_id = OLD.org_id AND status = OLD.status;
    INSERT INTO member_counts (org_id, status, n) VALUES (NEW.org_id, NEW.status, 1)
        ON CONFLICT (org_id, status) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- The version of an organization's rights: raised by the triggers below by
-- every write that can change what a member may do there (membership status,
-- roles held, a role's rights, direct grants, the two-factor policy, a
-- member's second factor). A cached rights resolution is valid while the
-- version it was computed at is current, whichever process made the change.
ALTER TABLE organizations ADD COLUMN rights_version INTEGER NOT NULL DEFAULT 0;

-- +goose StatementBegin
CREATE TRIGGER rights_version_membership_insert AFTER INSERT ON memberships BEGIN
    UPDATE organizations SET rights_version = rights_version + 1 WHERE id = NEW.org_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER rights_version_membership_delete AFTER DELETE ON memberships BEGIN
    UPDATE organizations SET rights_version = rights_version + 1 WHERE id = OLD.org_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER rights_version_membership_update AFTER UPDATE OF org_id, account_id, status ON memberships BEGIN
    UPDATE organizations SET rights_version = rights_version + 1 WHERE id IN (OLD.org_id, NEW.org_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER rights_version_member_role_insert AFTER INSERT ON membership_roles BEGIN
    UPDATE organizations SET rights_version = rights_version + 1 WHERE id = NEW.org_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER rights_version_member_role_delete AFTER DELETE ON membership_roles BEGIN
    UPDATE organizations SET rights_version = rights_version + 1 WHERE id = OLD.org_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER rights_version_member_role_update AFTER UPDATE OF membership_id, role_id, org_id ON membership_roles BEGIN
    UPDATE organizations SET rights_version = rights_version + 1 WHERE id IN (OLD.org_id, NEW.org_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER rights_version_member_right_insert AFTER INSERT ON membership_rights BEGIN
    UPDATE organizations SET rights_version = rights_version + 1 WHERE id = NEW.org_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER rights_version_member_right_delete AFTER DELETE ON membership_rights BEGIN
    UPDATE organizations SET rights_version = rights_version + 1 WHERE id = OLD.org_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER rights_version_member_right_update AFTER UPDATE ON membership_rights BEGIN
    UPDATE organizations SET rights_version = rights_version + 1 WHERE id IN (OLD.org_id, NEW.org_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER rights_version_role_right_insert AFTER INSERT ON role_rights BEGIN
    UPDATE organizations SET rights_version = rights_version + 1 WHERE id = NEW.org_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER rights_version_role_right_delete AFTER DELETE ON role_rights BEGIN
    UPDATE organizations SET rights_version = rights_version + 1 WHERE id = OLD.org_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER rights_version_role_right_update AFTER UPDATE ON role_rights BEGIN
    UPDATE organizations SET rights_version = rights_version + 1 WHERE id IN (OLD.org_id, NEW.org_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER rights_version_role_delete AFTER DELETE ON roles BEGIN
    UPDATE organizations SET rights_version = rights_version + 1 WHERE id = OLD.org_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER rights_version_role_update AFTER UPDATE OF is_admin, org_id ON roles BEGIN
    UPDATE organizations SET rights_version = rights_version + 1 WHERE id IN (OLD.org_id, NEW.org_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER rights_version_org_security_insert AFTER INSERT ON org_security BEGIN
    UPDATE organizations SET rights_version = rights_version + 1 WHERE id = NEW.org_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER rights_version_org_security_update AFTER UPDATE ON org_security BEGIN
    UPDATE organizations SET rights_version = rights_version + 1 WHERE id IN (OLD.org_id, NEW.org_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER rights_version_account_security_insert AFTER INSERT ON account_security BEGIN
    UPDATE organizations SET rights_version = rights_version + 1
    WHERE id IN (SELECT org_id FROM memberships WHERE account_id = NEW.account_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER rights_version_account_security_update AFTER UPDATE OF totp_enabled ON account_security
    WHEN OLD.totp_enabled IS NOT NEW.totp_enabled BEGIN
    UPDATE organizations SET rights_version = rights_version + 1
    WHERE id IN (SELECT org_id FROM memberships WHERE account_id = NEW.account_id);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER memberships_sort_roles;
DROP TRIGGER membership_roles_sort_insert;
DROP INDEX membership_roles_role;
ALTER TABLE membership_roles DROP COLUMN sort_key;
CREATE INDEX membership_roles_role ON membership_roles(role_id, membership_id);
DROP TRIGGER rights_version_account_security_update;
DROP TRIGGER rights_version_account_security_insert;
DROP TRIGGER rights_version_org_security_update;
DROP TRIGGER rights_version_org_security_insert;
DROP TRIGGER rights_version_role_update;
DROP TRIGGER rights_version_role_delete;
DROP TRIGGER rights_version_role_right_update;
DROP TRIGGER rights_version_role_right_delete;
DROP TRIGGER rights_version_role_right_insert;
DROP TRIGGER rights_version_member_right_update;
DROP TRIGGER rights_version_member_right_delete;
DROP TRIGGER rights_version_member_right_insert;
DROP TRIGGER rights_version_member_role_update;
DROP TRIGGER rights_version_member_role_delete;
DROP TRIGGER rights_version_member_role_insert;
DROP TRIGGER rights_version_membership_update;
DROP TRIGGER rights_version_membership_delete;
DROP TRIGGER rights_version_membership_insert;
ALTER TABLE organizations DROP COLUMN rights_version;
DROP TRIGGER member_counts_update;
DROP TRIGGER member_counts_delete;
DROP TRIGGER member_counts_insert;
DROP TABLE member_counts;
DROP INDEX memberships_account_search;
DROP INDEX memberships_emp;
DROP INDEX memberships_email;
DROP INDEX memberships_first;
CREATE INDEX memberships_first ON memberships(org_id, first_key);
CREATE INDEX memberships_email ON memberships(org_id, email_key);
CREATE INDEX memberships_emp ON memberships(org_id, emp_key);
