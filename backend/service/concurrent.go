package service

import "atrium/backend/domain"

// Concurrent edits. An edit may say what its caller last read of the fields
// it sets (its base): the console sends the values its form showed, and a
// connected desktop's queued edit carries the values its replica held when
// it was made. The rule is the operation's own, so the browser, the
// desktop's replica and the server's replay of a pushed edit decide alike.
// For each field the edit sets and whose base it gives:
//   - the stored value is still the base: the edit's value is written;
//   - the stored value already is the edit's, or the edit's is the base (the
//     caller did not change it): the field is left as stored;
//   - otherwise someone else changed the field in the meantime, to another
//     value: the whole edit is refused (domain.EditConflict, both values
//     given) and nothing of it is applied.
// Fields the edit does not set are never touched, so two edits of different
// fields both land. A field sent without its base is written as before:
// the last write wins.

// Base maps a field (its JSON name) to its value as the caller last read it.
type Base map[string]string

// baseCheck applies the rule to the fields of one edit, in a fixed order,
// collecting the conflicts.
type baseCheck struct {
	base      Base
	conflicts []domain.FieldConflict
}

// checkAgainst starts the check of an edit sent with base (nil: none).
func checkAgainst(base *Base) *baseCheck {
	c := &baseCheck{}
	if base != nil {
		c.base = *base
	}
	return c
}

// value returns what to write for field: the edit's value (mine) or the
// stored one. clean, when given, normalizes the base as the edit's value was.
func (c *baseCheck) value(field, stored, mine string, clean func(string) string) string {
	b, ok := c.base[field]
	if !ok {
		return mine
	}
	if clean != nil {
		b = clean(b)
	}
	switch {
	case mine == stored || mine == b:
		return stored
	case stored == b:
		return mine
	}
	c.conflicts = append(c.conflicts, domain.FieldConflict{Field: field, Mine: mine, Theirs: stored})
	return stored
}

// err is the conflict refusing the edit, or nil.
func (c *baseCheck) err() error {
	if len(c.conflicts) == 0 {
		return nil
	}
	return domain.EditConflict(c.conflicts)
}
