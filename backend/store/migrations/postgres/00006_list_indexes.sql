-- +goose Up
-- Lists that stay fast with thousands of organizations and tens of thousands
-- of tasks (issue 4, Measure).

-- The organization list of an account is read from memberships alone: a copy
-- of the organization's folded name (organizations.search_name, byte order as
-- on SQLite), kept current by the triggers below, so the list pages, sorts and
-- filters by name on one index of the account.
ALTER TABLE memberships ADD COLUMN org_key TEXT COLLATE "C" NOT NULL DEFAULT '';
UPDATE memberships m SET org_key = o.search_name FROM organizations o WHERE o.id = m.org_id;
CREATE INDEX memberships_account_orgs ON memberships(account_id, status, org_key, org_id);

-- +goose StatementBegin
CREATE FUNCTION atrium_membership_org_key() RETURNS trigger AS $$
BEGIN
    NEW.org_key := coalesce((SELECT o.search_name FROM organizations o WHERE o.id = NEW.org_id), '');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER memberships_org_key BEFORE INSERT OR UPDATE OF org_id ON memberships
    FOR EACH ROW EXECUTE FUNCTION atrium_membership_org_key();

-- +goose StatementBegin
CREATE FUNCTION atrium_org_member_keys() RETURNS trigger AS $$
BEGIN
    UPDATE memberships SET org_key = NEW.search_name WHERE org_id = NEW.id;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER organizations_member_org_key AFTER UPDATE OF search_name ON organizations
    FOR EACH ROW WHEN (OLD.search_name IS DISTINCT FROM NEW.search_name) EXECUTE FUNCTION atrium_org_member_keys();

-- Every filter of the task list walks an index in its order (newest first).
CREATE INDEX tasks_org_assignee_id ON tasks(org_id, assignee_id, id);

-- How many tasks an organization has per assignee ('' when nobody) and
-- status, kept by the trigger below: the list's total without counting every
-- matching task on each call.
CREATE TABLE task_counts (
    org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    assignee_key TEXT NOT NULL,
    status TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (org_id, assignee_key, status)
);
INSERT INTO task_counts (org_id, assignee_key, status, n)
    SELECT org_id, coalesce(assignee_id, ''), status, count(*) FROM tasks GROUP BY 1, 2, 3;

-- +goose StatementBegin
CREATE FUNCTION atrium_task_counts() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.org_id IS NOT DISTINCT FROM NEW.org_id
        AND OLD.assignee_id IS NOT DISTINCT FROM NEW.assignee_id AND OLD.status IS NOT DISTINCT FROM NEW.status THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE task_counts SET n = n - 1
        WHERE org_id = OLD.org_id AND assignee_key = coalesce(OLD.assignee_id, '') AND status = OLD.status;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO task_counts (org_id, assignee_key, status, n)
        VALUES (NEW.org_id, coalesce(NEW.assignee_id, ''), NEW.status, 1)
        ON CONFLICT (org_id, assignee_key, status) DO UPDATE SET n = task_counts.n + 1;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER tasks_counts AFTER INSERT OR DELETE OR UPDATE OF org_id, assignee_id, status ON tasks
    FOR EACH ROW EXECUTE FUNCTION atrium_task_counts();

-- +goose Down
DROP TRIGGER tasks_counts ON tasks;
DROP FUNCTION atrium_task_counts();
DROP TABLE task_counts;
DROP INDEX tasks_org_assignee_id;
DROP TRIGGER organizations_member_org_key ON organizations;
DROP FUNCTION atrium_org_member_keys();
DROP TRIGGER memberships_org_key ON memberships;
DROP FUNCTION atrium_membership_org_key();
DROP INDEX memberships_account_orgs;
ALTER TABLE memberships DROP COLUMN org_key;
