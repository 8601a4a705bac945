-- +goose Up
-- The roles page counts each role's members (deleted ones excluded) and the
-- member list filters a role's holders by status: membership_roles keeps a
-- copy of the member's status beside its sort key, kept current by the
-- triggers below, so both read the role's index alone.
ALTER TABLE membership_roles ADD COLUMN member_status TEXT NOT NULL DEFAULT '';
UPDATE membership_roles mr SET member_status = m.status FROM memberships m WHERE m.id = mr.membership_id;
DROP INDEX membership_roles_role;
CREATE INDEX membership_roles_role ON membership_roles(role_id, org_id, sort_key, membership_id, member_status);

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION atrium_membership_role_sort() RETURNS trigger AS $$
BEGIN
    SELECT coalesce(m.sort_key, ''), coalesce(m.status, '') INTO NEW.sort_key, NEW.member_status
        FROM memberships m WHERE m.id = NEW.membership_id;
    NEW.sort_key := coalesce(NEW.sort_key, '');
    NEW.member_status := coalesce(NEW.member_status, '');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION atrium_member_roles_status() RETURNS trigger AS $$
BEGIN
    UPDATE membership_roles SET member_status = NEW.status WHERE membership_id = NEW.id;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER memberships_status_roles AFTER UPDATE OF status ON memberships
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION atrium_member_roles_status();

-- +goose Down
DROP TRIGGER memberships_status_roles ON memberships;
DROP FUNCTION atrium_member_roles_status();
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION atrium_membership_role_sort() RETURNS trigger AS $$
BEGIN
    NEW.sort_key := coalesce((SELECT m.sort_key FROM memberships m WHERE m.id = NEW.membership_id), '');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
DROP INDEX membership_roles_role;
CREATE INDEX membership_roles_role ON membership_roles(role_id, org_id, sort_key, membership_id);
ALTER TABLE membership_roles DROP COLUMN member_status;
