-- +goose Up
-- A member away (SPEC C7). The membership keeps its status 'active': an away
-- member keeps every access and right of an active one, and every access
-- check reads that status. The absence is this row: it lasts until the day
-- before returns_on (YYYY-MM-DD, in the organization's calendar), or until
-- ended by hand when there is no return date; delegate_id is the member who
-- takes the new work meanwhile.
CREATE TABLE member_absences (
    membership_id TEXT PRIMARY KEY REFERENCES memberships(id) ON DELETE CASCADE,
    org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    returns_on TEXT,
    delegate_id TEXT REFERENCES accounts(id) ON DELETE SET NULL,
    created_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX member_absences_account ON member_absences(org_id, account_id);
CREATE INDEX member_absences_due ON member_absences(returns_on);

-- A task given to a delegate in the place of an away member: the task says
-- for whom. Written with the task, in the same transaction (so deferred).
CREATE TABLE task_stand_ins (
    task_id TEXT PRIMARY KEY REFERENCES tasks(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    absent_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE
);

-- +goose Down
DROP TABLE task_stand_ins;
DROP TABLE member_absences;
