-- +goose Up
-- Member search and sort keys folded like organization names (store.FoldName:
-- lower case without accents), so "emilie" finds "Émilie" and "Élodie" sorts
-- under E, not after Z. atrium_fold maps the same accented letters as
-- FoldName (a test compares them); lower() follows the cluster's locale.

-- +goose StatementBegin
CREATE FUNCTION atrium_fold(s text) RETURNS text AS $$
    SELECT lower(replace(replace(replace(replace(replace(
        translate(btrim(regexp_replace(s, '\s+', ' ', 'g')),
            'àÀáÁâÂãÃäÄåÅāĀçÇćĆčČèÈéÉêÊëËēĒėĖęĘìÌíÍîÎïÏīĪñÑńŃòÒóÓôÔõÕöÖøØōŌùÙúÚûÛüÜūŪýÝÿŸšŠśŚžŽźŹżŻłŁřŘďĎťŤ',
            'aaaaaaaaaaaaaacccccceeeeeeeeeeeeeeiiiiiiiiiinnnnoooooooooooooouuuuuuuuuuyyyysssszzzzzzllrrddtt'),
        'æ', 'ae'), 'Æ', 'ae'), 'œ', 'oe'), 'Œ', 'oe'), 'ß', 'ss'))
$$ LANGUAGE sql IMMUTABLE STRICT;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION atrium_membership_keys() RETURNS trigger AS $$
BEGIN
    SELECT atrium_fold(a.last_name || ' ' || a.first_name), atrium_fold(a.first_name), atrium_fold(a.email)
        INTO NEW.sort_key, NEW.first_key, NEW.email_key
        FROM accounts a WHERE a.id = NEW.account_id;
    NEW.emp_key := atrium_fold(NEW.employee_ref);
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION atrium_account_member_keys() RETURNS trigger AS $$
BEGIN
    UPDATE memberships SET sort_key = atrium_fold(NEW.last_name || ' ' || NEW.first_name),
        first_key = atrium_fold(NEW.first_name), email_key = atrium_fold(NEW.email)
    WHERE account_id = NEW.id;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

UPDATE memberships m SET sort_key = atrium_fold(a.last_name || ' ' || a.first_name), first_key = atrium_fold(a.first_name),
    email_key = atrium_fold(a.email), emp_key = atrium_fold(m.employee_ref)
FROM accounts a WHERE a.id = m.account_id;

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION atrium_account_member_keys() RETURNS trigger AS $$
BEGIN
    UPDATE memberships SET sort_key = lower(NEW.last_name || ' ' || NEW.first_name),
        first_key = lower(NEW.first_name), email_key = lower(NEW.email)
    WHERE account_id = NEW.id;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION atrium_membership_keys() RETURNS trigger AS $$
BEGIN
    SELECT lower(a.last_name || ' ' || a.first_name), lower(a.first_name), lower(a.email)
        INTO NEW.sort_key, NEW.first_key, NEW.email_key
        FROM accounts a WHERE a.id = NEW.account_id;
    NEW.emp_key := lower(NEW.employee_ref);
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
DROP FUNCTION atrium_fold(text);
