-- +goose Up
-- Account security (SPEC A3, A5, A6, A7, E2, Robustness).

-- Brute-force throttling: one row per key (an account, a source, an account
-- from a source, a second-factor account). Counted and checked in the same
-- transaction as the attempt, so parallel attempts cannot exceed the limit.
CREATE TABLE auth_throttle (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL DEFAULT 0,
    next_at DATETIME NOT NULL,
    last_at DATETIME NOT NULL
);

-- Second factor and password state of an account.
CREATE TABLE account_security (
    account_id TEXT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    totp_secret TEXT NOT NULL DEFAULT '',
    totp_enabled BOOLEAN NOT NULL DEFAULT FALSE,
    totp_last_step INTEGER NOT NULL DEFAULT 0,
    pending_secret TEXT NOT NULL DEFAULT '',
    pending_at DATETIME,
    enabled_at DATETIME,
    password_changed_at DATETIME
);

-- Single-use recovery codes, stored hashed.
CREATE TABLE recovery_codes (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at DATETIME,
    created_at DATETIME NOT NULL
);
CREATE INDEX recovery_codes_account ON recovery_codes(account_id);

-- A sign-in waiting for its second factor: short-lived, single-use.
CREATE TABLE pending_signins (
    token_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    org_id TEXT,
    source TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL,
    expires_at DATETIME NOT NULL,
    used_at DATETIME
);

-- Security policy of an organization (SPEC A6: two-factor required).
CREATE TABLE org_security (
    org_id TEXT PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
    require_two_factor BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at DATETIME NOT NULL
);

-- Notification preferences (SPEC A5): a row only when a category was changed.
CREATE TABLE notification_prefs (
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    category TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    updated_at DATETIME NOT NULL,
    PRIMARY KEY (account_id, category)
);

-- Security alerts waiting for the mail outbox (sent_at set once handed over).
CREATE TABLE security_alerts (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT '{}',
    created_at DATETIME NOT NULL,
    sent_at DATETIME
);
CREATE INDEX security_alerts_unsent ON security_alerts(sent_at, created_at);

-- The history screen filters by action, person and date inside an organization.
CREATE INDEX audit_events_org_action ON audit_events(org_id, action, seq);
CREATE INDEX audit_events_org_actor ON audit_events(org_id, actor_id, seq);
CREATE INDEX audit_events_org_at ON audit_events(org_id, at);
CREATE INDEX audit_events_actor ON audit_events(actor_id, seq);
CREATE INDEX sessions_account_live ON sessions(account_id, revoked_at);

-- +goose Down
DROP INDEX sessions_account_live;
DROP INDEX audit_events_actor;
DROP INDEX audit_events_org_at;
DROP INDEX audit_events_org_actor;
DROP INDEX audit_events_org_action;
DROP TABLE security_alerts;
DROP TABLE notification_prefs;
DROP TABLE org_security;
DROP TABLE pending_signins;
DROP TABLE recovery_codes;
DROP TABLE account_security;
DROP TABLE auth_throttle;
