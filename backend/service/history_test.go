package service

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"atrium/backend/audit"
	"atrium/backend/domain"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

// An organization's admin checks what concerns them: their organization's
// entries (and the chain's checkpoints), never the whole server's history,
// whose size the answer does not tell; and a check cannot be repeated at will
// to load the server.
func TestHistoryVerifyIsScopedAndThrottled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		clk := realClock()
		e.clock.set(clk.Now)
		ctx := context.Background()
		// Another organization's busy history.
		const others = 12_000
		bulk := make([]audit.BulkEntry, others)
		for i := range bulk {
			bulk[i] = audit.BulkEntry{At: time.Now(), ActorID: f.adminBID, Entry: audit.Entry{OrgID: f.orgB, Action: audit.SignInSucceeded,
				SubjectType: "account", SubjectID: f.adminBID, Details: map[string]any{"n": i}}}
		}
		if err := e.rec.AppendBulk(ctx, bulk); err != nil {
			t.Fatal(err)
		}
		e.mustCall("account.setLanguage", f.adminA, `{"language":"en"}`)
		var own int64
		st.DB(ctx).Table("audit_events").Where("org_id = ?", f.orgA).Count(&own)
		total := count(t, st, "audit_events")

		read := e.rec.EntriesRead()
		res, err := e.call("history.verify", f.adminA, `{}`)
		if err != nil {
			t.Fatal(err)
		}
		// Its own entries, one per checkpoint and the head's: not the others'.
		if n, most := e.rec.EntriesRead()-read, own+total/audit.CheckpointEvery+2; n > most {
			t.Errorf("the check read %d entries, more than the organization's %d and the %d checkpoints", n, own, total/audit.CheckpointEvery)
		}
		v := res.Output.(HistoryVerification)
		if !v.OK || v.Checked != own {
			t.Fatalf("checked %d entries, want the organization's %d: %+v", v.Checked, own, v)
		}
		b, _ := json.Marshal(res.Output)
		for _, leak := range []string{strconv.FormatInt(total, 10), strconv.FormatInt(total+1, 10), "headSeq"} {
			if strings.Contains(string(b), leak) {
				t.Errorf("the answer tells the server's size (%s): %s", leak, b)
			}
		}

		// At once again: refused, with how long to wait; nothing recorded.
		before := count(t, st, "audit_events")
		_, err = e.call("history.verify", f.adminA, `{}`)
		if domain.CodeOf(err) != domain.CodeRateLimited || retryAfter(err) <= 0 {
			t.Fatalf("a repeated check was not throttled: %v", err)
		}
		if count(t, st, "audit_events") != before {
			t.Error("a refused check was recorded")
		}
		// Another organization is not held up by the first one's check.
		if _, err := e.call("history.verify", f.adminB, `{}`); err != nil {
			t.Fatalf("organization B: %v", err)
		}
		clk.Add(time.Duration(retryAfter(err)+1) * time.Second)
		if _, err := e.call("history.verify", f.adminA, `{}`); err != nil {
			t.Fatalf("after the wait: %v", err)
		}
	})
}
