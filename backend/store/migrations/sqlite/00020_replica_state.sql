-- +goose Up
-- A connected desktop's replica: for each organization it holds, the account
-- it was pulled for, the change-log position of the server its rows are
-- consistent with, and the account's access there then (a change of access
-- rebuilds the organization). Empty on a server and a standalone desktop.
CREATE TABLE replica_orgs (
    org_id     TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    position   BIGINT NOT NULL,
    access     TEXT NOT NULL,
    synced_at  DATETIME NOT NULL
);

-- The server's history of an organization, as the replica's account may read
-- it (audit.view): a copy kept apart from the replica's own chain, which goes
-- on with the entries of the operations made on the replica.
CREATE TABLE replica_history (
    seq          BIGINT PRIMARY KEY,
    id           TEXT NOT NULL,
    at           DATETIME NOT NULL,
    org_id       TEXT,
    actor_id     TEXT,
    session_id   TEXT,
    device       TEXT NOT NULL DEFAULT '',
    action       TEXT NOT NULL,
    subject_type TEXT NOT NULL DEFAULT '',
    subject_id   TEXT NOT NULL DEFAULT '',
    details      TEXT NOT NULL DEFAULT '{}',
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL,
    org_seq      BIGINT
);
CREATE INDEX replica_history_org ON replica_history (org_id, seq);

-- +goose Down
DROP TABLE replica_history;
DROP TABLE replica_orgs;
