-- +goose Up
-- Lists that stay fast with thousands of organizations and tens of thousands
-- of tasks (issue 4, Measure).

-- The organization list of an account is read from memberships alone: a copy
-- of the organization's folded name (organizations.search_name), kept current
-- by the triggers below, so the list pages, sorts and filters by name on one
-- index of the account instead of sorting all its organizations each call.
ALTER TABLE memberships ADD COLUMN org_key TEXT NOT NULL DEFAULT '';
UPDATE memberships SET org_key = coalesce((SELECT o.search_name FROM organizations o WHERE o.id = memberships.org_id), '');
CREATE INDEX memberships_account_orgs ON memberships(account_id, status, org_key, org_id);

-- +goose StatementBegin
CREATE TRIGGER memberships_org_key_insert AFTER INSERT ON memberships BEGIN
    UPDATE memberships SET org_key = coalesce((SELECT o.search_name FROM organizations o WHERE o.id = NEW.org_id), '')
    WHERE id = NEW.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER memberships_org_key_org AFTER UPDATE OF org_id ON memberships BEGIN
    UPDATE memberships SET org_key = coalesce((SELECT o.search_name FROM organizations o WHERE o.id = NEW.org_id), '')
    WHERE id = NEW.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER organizations_member_org_key AFTER UPDATE OF search_name ON organizations BEGIN
    UPDATE memberships SET org_key = NEW.search_name WHERE org_id = NEW.id;
END;
-- +goose StatementEnd

-- Every filter of the task list walks an index in its order (newest first).
CREATE INDEX tasks_org_assignee_id ON tasks(org_id, assignee_id, id);

-- How many tasks an organization has per assignee ('' when nobody) and
-- status, kept by the triggers below: the list's total without counting
-- every matching task on each call.
CREATE TABLE task_counts (
    org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    assignee_key TEXT NOT NULL,
    status TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (org_id, assignee_key, status)
);
INSERT INTO task_counts (org_id, assignee_key, status, n)
    SELECT org_id, coalesce(assignee_id, ''), status, count(*) FROM tasks GROUP BY 1, 2, 3;

-- +goose StatementBegin
CREATE TRIGGER tasks_count_insert AFTER INSERT ON tasks BEGIN
    INSERT INTO task_counts (org_id, assignee_key, status, n)
    VALUES (NEW.org_id, coalesce(NEW.assignee_id, ''), NEW.status, 1)
    ON CONFLICT (org_id, assignee_key, status) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tasks_count_delete AFTER DELETE ON tasks BEGIN
    UPDATE task_counts SET n = n - 1
    WHERE org_id = OLD.org_id AND assignee_key = coalesce(OLD.assignee_id, '') AND status = OLD.status;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tasks_count_update AFTER UPDATE OF org_id, assignee_id, status ON tasks
WHEN OLD.org_id IS NOT NEW.org_id OR OLD.assignee_id IS NOT NEW.assignee_id OR OLD.status IS NOT NEW.status BEGIN
    UPDATE task_counts SET n = n - 1
    WHERE org_id = OLD.org_id AND assignee_key = coalesce(OLD.assignee_id, '') AND status = OLD.status;
    INSERT INTO task_counts (org_id, assignee_key, status, n)
    VALUES (NEW.org_id, coalesce(NEW.assignee_id, ''), NEW.status, 1)
    ON CONFLICT (org_id, assignee_key, status) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER tasks_count_update;
DROP TRIGGER tasks_count_delete;
DROP TRIGGER tasks_count_insert;
DROP TABLE task_counts;
DROP INDEX tasks_org_assignee_id;
DROP TRIGGER organizations_member_org_key;
DROP TRIGGER memberships_org_key_org;
DROP TRIGGER memberships_org_key_insert;
DROP INDEX memberships_account_orgs;
ALTER TABLE memberships DROP COLUMN org_key;
