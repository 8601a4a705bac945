-- +goose Up
-- A task can repeat (monthly, quarterly, yearly: TVA, liasse fiscale).
-- recurrence_day is the day of the month the series falls on (its first due
-- date's), so 31/01 → 28/02 → 31/03: a short month clamps one occurrence, not
-- the rest of the series. previous_id links an occurrence to the one whose
-- completion created it; unique, so completing a task, reopening it and
-- completing it again can never make a second next occurrence (no foreign
-- key: tasks go only with their organization, and SQLite drops no column
-- that has one).
ALTER TABLE tasks ADD COLUMN recurrence TEXT NOT NULL DEFAULT 'none';
ALTER TABLE tasks ADD COLUMN recurrence_day INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN previous_id TEXT;
CREATE UNIQUE INDEX tasks_previous ON tasks(previous_id) WHERE previous_id IS NOT NULL;

-- The list is sorted by due date, those without one last ('9999-12-31' is
-- past every date a task accepts); each filter walks its index in that order.
DROP INDEX tasks_org;
DROP INDEX tasks_org_status;
DROP INDEX tasks_org_assignee;
DROP INDEX tasks_org_assignee_id;
CREATE INDEX tasks_org_due ON tasks(org_id, (coalesce(due_date, '9999-12-31')), id);
CREATE INDEX tasks_org_status_due ON tasks(org_id, status, (coalesce(due_date, '9999-12-31')), id);
CREATE INDEX tasks_org_assignee_due ON tasks(org_id, assignee_id, (coalesce(due_date, '9999-12-31')), id);
CREATE INDEX tasks_org_assignee_status_due ON tasks(org_id, assignee_id, status, (coalesce(due_date, '9999-12-31')), id);

-- +goose Down
DROP INDEX tasks_org_assignee_status_due;
DROP INDEX tasks_org_assignee_due;
DROP INDEX tasks_org_status_due;
DROP INDEX tasks_org_due;
CREATE INDEX tasks_org ON tasks(org_id, id);
CREATE INDEX tasks_org_status ON tasks(org_id, status, id);
CREATE INDEX tasks_org_assignee ON tasks(org_id, assignee_id, status, id);
CREATE INDEX tasks_org_assignee_id ON tasks(org_id, assignee_id, id);
DROP INDEX tasks_previous;
ALTER TABLE tasks DROP COLUMN previous_id;
ALTER TABLE tasks DROP COLUMN recurrence_day;
ALTER TABLE tasks DROP COLUMN recurrence;
