-- +goose Up
-- An operation a connected desktop pushes is applied once however often it is
-- pushed: its id is recorded in the same transaction as its effects (accepted),
-- or alone when it was refused, with the reason, so that pushing it again
-- gets the same answer.
CREATE TABLE replayed_operations (
    id          TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL,
    op          TEXT NOT NULL,
    org_id      TEXT,
    outcome     TEXT NOT NULL,
    refusal     TEXT,
    at          DATETIME NOT NULL
);
CREATE INDEX replayed_operations_account ON replayed_operations (account_id, at);

-- A connected desktop's queue: each operation applied on the replica is kept,
-- in the same transaction, with its input, until the server has answered it;
-- a refused one stays, with the reason, until the user retries or discards it.
CREATE TABLE pending_operations (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT NOT NULL UNIQUE,
    op          TEXT NOT NULL,
    org_id      TEXT,
    input       TEXT NOT NULL,
    account_id  TEXT NOT NULL,
    made_at     DATETIME NOT NULL,
    base        BIGINT NOT NULL,
    state       TEXT NOT NULL,
    refusal     TEXT,
    answered_at DATETIME
);

-- +goose Down
DROP TABLE pending_operations;
DROP TABLE replayed_operations;
