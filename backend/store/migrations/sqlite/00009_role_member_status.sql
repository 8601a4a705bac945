-- +goose Up
-- The roles page counts each role's members (deleted ones excluded) and the
-- member list filters a role's holders by status: membership_roles keeps a
-- copy of the member's status beside its sort key, kept current by the
-- triggers below, so both read the role's index alone.
ALTER TABLE membership_roles ADD COLUMN member_status TEXT NOT NULL DEFAULT '';
UPDATE membership_roles SET member_status = coalesce((SELECT m.status FROM memberships m WHERE m.id = membership_roles.membership_id), '');
DROP INDEX membership_roles_role;
CREATE INDEX membership_roles_role ON membership_roles(role_id, org_id, sort_key, membership_id, member_status);

DROP TRIGGER membership_roles_sort_insert;
-- +goose StatementBegin
CREATE TRIGGER membership_roles_sort_insert AFTER INSERT ON membership_roles BEGIN
    UPDATE membership_roles SET
        sort_key = coalesce((SELECT m.sort_key FROM memberships m WHERE m.id = NEW.membership_id), ''),
        member_status = coalesce((SELECT m.status FROM memberships m WHERE m.id = NEW.membership_id), '')
    WHERE membership_id = NEW.membership_id AND role_id = NEW.role_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER memberships_status_roles AFTER UPDATE OF status ON memberships BEGIN
    UPDATE membership_roles SET member_status = NEW.status WHERE membership_id = NEW.id;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER memberships_status_roles;
DROP TRIGGER membership_roles_sort_insert;
-- +goose StatementBegin
CREATE TRIGGER membership_roles_sort_insert AFTER INSERT ON membership_roles BEGIN
    UPDATE membership_roles SET sort_key = coalesce((SELECT m.sort_key FROM memberships m WHERE m.id = NEW.membership_id), '')
    WHERE membership_id = NEW.membership_id AND role_id = NEW.role_id;
END;
-- +goose StatementEnd
DROP INDEX membership_roles_role;
CREATE INDEX membership_roles_role ON membership_roles(role_id, org_id, sort_key, membership_id);
ALTER TABLE membership_roles DROP COLUMN member_status;
