-- +goose Up
-- Member search and sort keys folded like organization names (store.FoldName:
-- lower case without accents), so "emilie" finds "Émilie" and "Élodie" sorts
-- under E, not after Z. SQLite's lower() only knows ASCII: atrium_fold is the
-- Go function, registered on every connection by the store.

-- +goose StatementBegin
DROP TRIGGER memberships_keys_insert;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER memberships_keys_insert AFTER INSERT ON memberships BEGIN
    UPDATE memberships SET
        sort_key = (SELECT atrium_fold(a.last_name || ' ' || a.first_name) FROM accounts a WHERE a.id = NEW.account_id),
        first_key = (SELECT atrium_fold(a.first_name) FROM accounts a WHERE a.id = NEW.account_id),
        email_key = (SELECT atrium_fold(a.email) FROM accounts a WHERE a.id = NEW.account_id),
        emp_key = atrium_fold(NEW.employee_ref)
    WHERE id = NEW.id;
END;
-- +goose StatementEnd
DROP TRIGGER memberships_keys_employee_ref;
-- +goose StatementBegin
CREATE TRIGGER memberships_keys_employee_ref AFTER UPDATE OF employee_ref ON memberships BEGIN
    UPDATE memberships SET emp_key = atrium_fold(NEW.employee_ref) WHERE id = NEW.id;
END;
-- +goose StatementEnd
DROP TRIGGER accounts_member_keys;
-- +goose StatementBegin
CREATE TRIGGER accounts_member_keys AFTER UPDATE OF first_name, last_name, email ON accounts BEGIN
    UPDATE memberships SET
        sort_key = atrium_fold(NEW.last_name || ' ' || NEW.first_name),
        first_key = atrium_fold(NEW.first_name),
        email_key = atrium_fold(NEW.email)
    WHERE account_id = NEW.id;
END;
-- +goose StatementEnd
UPDATE memberships SET
    sort_key = (SELECT atrium_fold(a.last_name || ' ' || a.first_name) FROM accounts a WHERE a.id = memberships.account_id),
    first_key = (SELECT atrium_fold(a.first_name) FROM accounts a WHERE a.id = memberships.account_id),
    email_key = (SELECT atrium_fold(a.email) FROM accounts a WHERE a.id = memberships.account_id),
    emp_key = atrium_fold(employee_ref);

-- +goose Down
DROP TRIGGER accounts_member_keys;
-- +goose StatementBegin
CREATE TRIGGER accounts_member_keys AFTER UPDATE OF first_name, last_name, email ON accounts BEGIN
    UPDATE memberships SET
        sort_key = lower(NEW.last_name || ' ' || NEW.first_name),
        first_key = lower(NEW.first_name),
        email_key = lower(NEW.email)
    WHERE account_id = NEW.id;
END;
-- +goose StatementEnd
DROP TRIGGER memberships_keys_employee_ref;
-- +goose StatementBegin
CREATE TRIGGER memberships_keys_employee_ref AFTER UPDATE OF employee_ref ON memberships BEGIN
    UPDATE memberships SET emp_key = lower(NEW.employee_ref) WHERE id = NEW.id;
END;
-- +goose StatementEnd
DROP TRIGGER memberships_keys_insert;
-- +goose StatementBegin
CREATE TRIGGER memberships_keys_insert AFTER INSERT ON memberships BEGIN
    UPDATE memberships SET
        sort_key = (SELECT lower(a.last_name || ' ' || a.first_name) FROM accounts a WHERE a.id = NEW.account_id),
        first_key = (SELECT lower(a.first_name) FROM accounts a WHERE a.id = NEW.account_id),
        email_key = (SELECT lower(a.email) FROM accounts a WHERE a.id = NEW.account_id),
        emp_key = lower(NEW.employee_ref)
    WHERE id = NEW.id;
END;
-- +goose StatementEnd
