package replica

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"atrium/backend/audit"
	"atrium/backend/domain"
	"atrium/backend/service"
)

// historyIDs lists a page's entry IDs, and those waiting on this computer.
func historyIDs(p service.HistoryPage) (ids, pending []string) {
	for _, e := range p.Entries {
		ids = append(ids, e.ID)
		if e.Pending {
			pending = append(pending, e.ID)
		}
	}
	return ids, pending
}

// The History screen of a connected desktop reads the server's history of the
// organization, as the pull copied it: a change made in the browser shows
// there after the next pull, with the server's entry numbers, and the filters
// read the same copy. A change made on the desktop shows at once, marked
// waiting, and once pushed and pulled stands once, as the server's entry.
func TestConnectedHistoryIsTheServersHistory(t *testing.T) {
	eachServer(t, func(t *testing.T, w *world) {
		w.give(domain.RightMembersView, true)
		w.give(domain.RightMembersEdit, true)
		w.give(domain.RightAuditView, true)
		w.pull()
		token := w.localSession()
		list := func(q string) service.HistoryPage {
			t.Helper()
			res, err := w.localCall(token, "history.list", q)
			if err != nil {
				t.Fatalf("history.list %s on the desktop: %v", q, err)
			}
			return res.Output.(service.HistoryPage)
		}
		server := func(q string) service.HistoryPage {
			t.Helper()
			return w.asAnne("history.list", q).Output.(service.HistoryPage)
		}

		// A change made on the server arrives with the pull.
		w.asAnne("members.update", fmt.Sprintf(`{"memberId":%q,"jobTitle":"Comptable"}`, w.member))
		before, _ := historyIDs(list(`{}`))
		want, _ := historyIDs(server(`{}`))
		if slices.Equal(before, want) {
			t.Fatal("the desktop's history already shows the server's change before any pull")
		}
		w.pull()
		page := list(`{}`)
		got, pending := historyIDs(page)
		if !slices.Equal(got, want) || len(pending) != 0 {
			t.Fatalf("after the pull the desktop's history is %v (waiting %v), the server's %v", got, pending, want)
		}
		srv := server(`{}`)
		for i, e := range page.Entries {
			s := srv.Entries[i]
			if e.Number != s.Number || e.Number == 0 || e.Action != s.Action || e.ActorName != s.ActorName || e.SubjectName != s.SubjectName {
				t.Errorf("entry %d on the desktop: %d %s by %q on %q; on the server: %d %s by %q on %q",
					i, e.Number, e.Action, e.ActorName, e.SubjectName, s.Number, s.Action, s.ActorName, s.SubjectName)
			}
		}
		if page.Entries[0].Action != audit.MemberUpdated || page.Entries[0].ActorName != "Anne Martin" {
			t.Errorf("the newest entry on the desktop: %s by %q", page.Entries[0].Action, page.Entries[0].ActorName)
		}
		// The filters read the copy too.
		for _, q := range []string{
			fmt.Sprintf(`{"action":%q}`, audit.MemberUpdated),
			fmt.Sprintf(`{"person":%q}`, w.bruno),
			`{"search":"Durand"}`,
		} {
			got, _ := historyIDs(list(q))
			want, _ := historyIDs(server(q))
			if !slices.Equal(got, want) || len(want) == 0 {
				t.Errorf("history %s: the desktop shows %v, the server %v", q, got, want)
			}
		}
		// Its checks need the server's history key: they are made there, and
		// the page says so instead of checking the desktop's own chain.
		if !page.ServerCopy || server(`{}`).ServerCopy {
			t.Errorf("serverCopy: %v on the desktop, %v on the server", page.ServerCopy, server(`{}`).ServerCopy)
		}
		for op, in := range map[string]string{"history.verify": `{}`, "history.exportHead": `{}`, "history.checkExport": `{"content":"x"}`} {
			var de *domain.Error
			if _, err := w.localCall(token, op, in); !errors.As(err, &de) || de.Code != domain.CodeForbidden {
				t.Errorf("%s on the desktop: %v, want it refused (checked on the server)", op, err)
			}
		}
		// The export is the server's history as copied, numbers included.
		res, err := w.localCall(token, "history.export", `{}`)
		if err != nil {
			t.Fatal(err)
		}
		if rows := res.Output.(service.ExportFile).Rows; rows != len(want) {
			t.Errorf("the desktop exported %d rows, the server's history has %d", rows, len(want))
		}

		// A change made on the desktop, not yet pushed, shows first, waiting.
		if _, queued, err := w.desk.Registry.InvokeQueued(w.ctx, service.Call{Op: "members.update", Token: token, Org: w.org,
			Input: []byte(fmt.Sprintf(`{"memberId":%q,"jobTitle":"Expert-comptable"}`, w.member))}, 0); err != nil || !queued {
			t.Fatalf("queued %v, %v", queued, err)
		}
		page = list(`{}`)
		got, pending = historyIDs(page)
		if len(pending) != 1 || got[0] != pending[0] || page.Entries[0].Number != 0 || page.Entries[0].Action != audit.MemberUpdated {
			t.Fatalf("after a change on the desktop: entries %v, waiting %v, newest %+v", got, pending, page.Entries[0])
		}
		if !slices.Equal(got[1:], want) {
			t.Errorf("under the waiting entry the desktop shows %v, the server %v", got[1:], want)
		}
		// The History screen's own entry (the export above) is not shown as waiting.
		for _, e := range page.Entries {
			if e.Action == audit.HistoryExported && e.Pending {
				t.Errorf("the desktop's export is shown as a change waiting")
			}
		}
		// Pushed and pulled: the server's entry stands for it, once.
		if rep, err := Push(w.ctx, w.desk.Store, w.client, nowUTC); err != nil || rep.Accepted != 1 {
			t.Fatalf("push: %+v, %v", rep, err)
		}
		w.pull()
		got, pending = historyIDs(list(`{}`))
		want, _ = historyIDs(server(`{}`))
		if !slices.Equal(got, want) || len(pending) != 0 {
			t.Fatalf("after the push and pull the desktop shows %v (waiting %v), the server %v", got, pending, want)
		}
		// The next pull (nothing new) re-applies nothing and shows the same.
		w.pull()
		if again, _ := historyIDs(list(`{}`)); !slices.Equal(again, want) {
			t.Errorf("a pull with nothing new changed the desktop's history: %v", again)
		}
	})
}

// With audit.view taken on the server, the desktop holds no history any more
// and its History screen is refused, as on the server.
func TestConnectedHistoryGoesWithTheRight(t *testing.T) {
	eachServer(t, func(t *testing.T, w *world) {
		w.give(domain.RightAuditView, true)
		w.pull()
		token := w.localSession()
		res, err := w.localCall(token, "history.list", `{}`)
		if err != nil || len(res.Output.(service.HistoryPage).Entries) == 0 {
			t.Fatalf("with audit.view the desktop's history: %v, %v", res.Output, err)
		}
		w.give(domain.RightAuditView, false)
		w.pull()
		token = w.localSession()
		if n := w.count("replica_history", "org_id = ?", w.org); n != 0 {
			t.Errorf("without audit.view the replica still holds %d history entries", n)
		}
		for _, op := range []string{"history.list", "history.export"} {
			_, err := w.localCall(token, op, `{}`)
			var de *domain.Error
			if !errors.As(err, &de) || de.Code != domain.CodeForbidden {
				t.Errorf("%s without audit.view on the desktop: %v", op, err)
			}
		}
	})
}
