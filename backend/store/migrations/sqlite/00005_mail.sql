-- +goose Up
-- Mail, invitations and recovery (SPEC H5, C2-C5, A2, A9, A11, B6).

-- Every message is written here in the transaction of the action causing it,
-- then sent by the outbox worker. status: local (no SMTP: read in the
-- console's outbox), pending (waiting for its next attempt), sending (claimed
-- by the worker), sent, failed (given up, or interrupted while sending).
-- Bodies (links and codes) are wiped once the message is sent.
CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    org_id TEXT,
    account_id TEXT,
    to_addr TEXT NOT NULL,
    language TEXT NOT NULL DEFAULT 'fr',
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL DEFAULT '',
    html_body TEXT NOT NULL DEFAULT '',
    link TEXT NOT NULL DEFAULT '',
    code TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at DATETIME NOT NULL,
    claimed_at DATETIME,
    last_error TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL,
    sent_at DATETIME
);
CREATE INDEX outbox_due ON outbox(status, next_at);
CREATE INDEX outbox_org ON outbox(org_id, created_at);

-- SMTP settings edited in the console (one row); the server's flags and
-- environment take precedence over it.
CREATE TABLE mail_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    host TEXT NOT NULL DEFAULT '',
    port INTEGER NOT NULL DEFAULT 587,
    security TEXT NOT NULL DEFAULT 'starttls',
    username TEXT NOT NULL DEFAULT '',
    password TEXT NOT NULL DEFAULT '',
    sender TEXT NOT NULL DEFAULT '',
    updated_at DATETIME NOT NULL
);

-- Invitations to join an organization (SPEC C2-C4).
CREATE TABLE invitations (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    first_name TEXT NOT NULL DEFAULT '',
    last_name TEXT NOT NULL DEFAULT '',
    job_title TEXT NOT NULL DEFAULT '',
    employee_ref TEXT NOT NULL DEFAULT '',
    role_ids TEXT NOT NULL DEFAULT '[]',
    rights TEXT NOT NULL DEFAULT '[]',
    language TEXT NOT NULL DEFAULT 'fr',
    invited_by TEXT REFERENCES accounts(id) ON DELETE SET NULL,
    status TEXT NOT NULL,
    created_at DATETIME NOT NULL,
    sent_at DATETIME NOT NULL,
    expires_at DATETIME NOT NULL,
    ended_at DATETIME
);
CREATE UNIQUE INDEX invitations_pending ON invitations(org_id, email) WHERE status = 'pending';
CREATE INDEX invitations_org ON invitations(org_id, status, created_at);

-- Single-use links and codes sent by mail: only their hashes are kept.
CREATE TABLE mail_tokens (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    code_hash TEXT NOT NULL,
    account_id TEXT REFERENCES accounts(id) ON DELETE CASCADE,
    org_id TEXT REFERENCES organizations(id) ON DELETE CASCADE,
    invitation_id TEXT REFERENCES invitations(id) ON DELETE CASCADE,
    new_email TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL,
    expires_at DATETIME NOT NULL,
    used_at DATETIME
);
CREATE INDEX mail_tokens_code ON mail_tokens(code_hash);
CREATE INDEX mail_tokens_account ON mail_tokens(account_id, kind);
CREATE INDEX mail_tokens_invitation ON mail_tokens(invitation_id);

-- +goose Down
DROP TABLE mail_tokens;
DROP TABLE invitations;
DROP TABLE mail_settings;
DROP TABLE outbox;
