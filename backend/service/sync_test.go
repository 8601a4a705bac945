package service

import (
	"errors"
	"testing"

	"atrium/backend/domain"
	"atrium/backend/storetest"
)

func init() {
	opCases["sync.state"] = opCase{input: func(*fixture) string { return `{"since":0}` }}
	opCases["sync.snapshot"] = opCase{input: func(*fixture) string { return `{"part":""}` }}
}

// A replica's reads refuse what they do not know, with the field named.
func TestSyncReadsRefuseBadInput(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	for _, c := range []struct{ op, in, field string }{
		{"sync.state", `{"since":-2}`, "since"},
		{"sync.snapshot", `{"part":"members"}`, "part"},
	} {
		_, err := f.env.call(c.op, f.adminA, c.in)
		var de *domain.Error
		if !errors.As(err, &de) || de.Code != domain.CodeValidation || de.Fields[c.field] != domain.FieldInvalidChoice {
			t.Errorf("%s %s: %v", c.op, c.in, err)
		}
	}
}
