package service

import (
	"fmt"
	"strings"
	"testing"

	"atrium/backend/store"
	"atrium/backend/storetest"
)

// While an import runs, its author sees how many of its rows are written, of
// how many; nobody else sees it as theirs, and it is gone once the import ends.
func TestMembersImportProgress(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		progress := func(token string) ImportProgress {
			return out[ImportProgress](t, e.mustCall("members.importProgress", token, `{}`))
		}
		if p := progress(f.adminA); p != (ImportProgress{}) {
			t.Fatalf("before any import: %+v", p)
		}
		const n = 400
		var b strings.Builder
		b.WriteString("Prénom;Nom;E-mail\r\n")
		for i := range n {
			fmt.Fprintf(&b, "Léa;Roux%d;lea.roux%d@example.fr\r\n", i, i)
		}
		file := []byte(b.String())
		plan := checkImport(t, e, f.adminA, file, "")

		done := make(chan error, 1)
		go func() {
			_, err := e.call("members.import", f.adminA, importJSON(file, "", plan.PlanHash))
			done <- err
		}()
		var seen []ImportProgress
		for running := true; running; {
			select {
			case err := <-done:
				if err != nil {
					t.Fatal(err)
				}
				running = false
			default:
				if p := progress(f.adminA); p.Running {
					seen = append(seen, p)
				}
				if p := progress(f.adminB); p.Running {
					t.Fatalf("another organization's admin sees the import: %+v", p)
				}
			}
		}
		if len(seen) == 0 || seen[len(seen)-1].Total != n {
			t.Fatalf("the import was never seen writing its rows: %v", seen)
		}
		for i, p := range seen {
			checking := p.Total == 0 && p.Done == 0 // the plan worked out again, before any row
			if (!checking && p.Total != n) || p.Done < 0 || p.Done > n || (i > 0 && p.Done < seen[i-1].Done) {
				t.Fatalf("progress %d of %d: %+v", i, len(seen), seen)
			}
		}
		if p := progress(f.adminA); p != (ImportProgress{}) {
			t.Fatalf("after the import: %+v", p)
		}
		t.Logf("seen running %d times, last %+v", len(seen), seen[len(seen)-1])
	})
}
