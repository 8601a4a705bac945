package audit

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"atrium/backend/domain"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

// writeLegacy writes entries as Atrium did before the key: plain SHA-256
// links, no organization numbers, an unkeyed head (the state migration 12
// leaves an existing database in).
func writeLegacy(t *testing.T, st *store.Store, orgs []string) {
	t.Helper()
	db := st.DB(context.Background())
	prev := ""
	for i, org := range orgs {
		e := Event{Seq: int64(i + 1), ID: domain.NewID(), At: time.Date(2026, 1, 1, 8, 0, i, 0, time.UTC), OrgID: nonEmpty(org),
			Action: SignOut, Details: fmt.Sprintf(`{"n":%d}`, i), PrevHash: prev}
		e.Hash = e.plainHash()
		if err := db.Create(&e).Error; err != nil {
			t.Fatal(err)
		}
		prev = e.Hash
	}
	if err := db.Exec("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", len(orgs), prev).Error; err != nil {
		t.Fatal(err)
	}
}

func mustOK(t *testing.T, rep Report, err error) {
	t.Helper()
	if err != nil || !rep.OK {
		t.Fatalf("%+v %v", rep, err)
	}
}

func orgOK(t *testing.T, r *Recorder, org string, want int64) {
	t.Helper()
	rep, err := r.VerifyOrg(context.Background(), org, nil)
	if err != nil || !rep.OK || rep.Checked != want {
		t.Fatalf("%s: %+v %v, want %d entries", org, rep, err, want)
	}
}

// A database from before the key is sealed at the first write under one: its
// entries keep their plain links, the seal fixes them, and both checks cover
// them; an edit made since, recomputed all the way to the seal, is found.
func TestSealCoversEntriesFromBeforeTheKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		var orgs []string
		for i := 0; i < 30; i++ {
			orgs = append(orgs, []string{"o1", "o2", "o1", ""}[i%4])
		}
		writeLegacy(t, st, orgs)
		r := New(st)
		if err := r.Seal(ctx); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 5; i++ {
			if err := r.Record(ctx, Entry{OrgID: "o1", Action: SignOut}); err != nil {
				t.Fatal(err)
			}
		}
		rep, err := r.Verify(ctx)
		mustOK(t, rep, err)
		if rep.Checked != 35 {
			t.Fatalf("checked %d", rep.Checked)
		}
		orgOK(t, r, "o1", 15+5)
		orgOK(t, r, "o2", 8)
		if err := New(st).Seal(ctx); !errors.Is(err, ErrWrongKey) {
			t.Fatalf("another key was taken: %v", err)
		}

		// Entry 6 (of o2) is edited and the plain links recomputed up to the
		// seal: the seal no longer matches.
		storetest.DropHistoryGuards(t, st)
		db := st.DB(ctx)
		var evs []Event
		db.Where("seq <= 30").Order("seq").Find(&evs)
		prev := evs[4].Hash
		for _, e := range evs[5:] {
			if e.Seq == 6 {
				e.Details = `{"n":"changed"}`
			}
			e.PrevHash = prev
			e.Hash = e.plainHash()
			db.Exec("UPDATE audit_events SET details = ?, prev_hash = ?, hash = ? WHERE seq = ?", e.Details, e.PrevHash, e.Hash, e.Seq)
			prev = e.Hash
		}
		if rep, _ := r.Verify(ctx); rep.OK || rep.BrokenSeq > 31 {
			t.Fatalf("a recomputed old chain passed: %+v", rep)
		}
		if rep, _ := r.VerifyOrg(ctx, "o2", nil); rep.OK || rep.Problem != ProblemSealedChanged {
			t.Fatalf("o2's changed old entry: %+v", rep)
		}
	})
}

// Without the key, the tail cannot be cut: the head is keyed, so a head row
// rewritten to an older entry is found, and the next append records a break
// instead of carrying on from it.
func TestRewrittenHeadIsFoundAndNotCarriedOn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		r := New(st)
		for i := 0; i < 6; i++ {
			if err := r.Record(ctx, Entry{OrgID: "o1", Action: SignOut}); err != nil {
				t.Fatal(err)
			}
		}
		storetest.DropHistoryGuards(t, st)
		db := st.DB(ctx)
		var e4 Event
		db.Where("seq = 4").Take(&e4)
		db.Exec("DELETE FROM audit_events WHERE seq > 4")
		db.Exec("UPDATE audit_head SET seq = 4, hash = ? WHERE id = 1", e4.Hash)
		if rep, _ := r.Verify(ctx); rep.OK || rep.Problem != ProblemHeadForged {
			t.Fatalf("a rewritten head passed: %+v", rep)
		}
		if rep, _ := r.VerifyOrg(ctx, "o1", nil); rep.OK || rep.Problem != ProblemTailCut || rep.Number != 5 {
			t.Fatalf("the organization's cut tail: %+v", rep)
		}
		if err := r.Record(ctx, Entry{OrgID: "o2", Action: SignOut}); err != nil {
			t.Fatal(err)
		}
		if rep, _ := r.Verify(ctx); rep.OK || rep.Problem != ProblemHeadForged || rep.BrokenSeq != 4 {
			t.Fatalf("the append after a rewritten head hid it: %+v", rep)
		}
		if rep, _ := r.VerifyOrg(ctx, "o2", nil); rep.OK || rep.Problem != ProblemChainBroken {
			t.Fatalf("another organization is told the shared chain broke: %+v", rep)
		}
	})
}

// A checkpoint removed (or one put where none belongs) is found by both
// checks; an organization's check reads one entry per checkpoint.
func TestCheckpointsAreChecked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		r := New(st)
		bulk := make([]BulkEntry, 2500)
		for i := range bulk {
			org := "big"
			if i%500 == 0 {
				org = "small"
			}
			bulk[i] = BulkEntry{At: time.Now(), Entry: Entry{OrgID: org, Action: SignOut}}
		}
		if err := r.AppendBulk(ctx, bulk); err != nil {
			t.Fatal(err)
		}
		rep, err := r.Verify(ctx)
		mustOK(t, rep, err)
		before := r.EntriesRead()
		orgOK(t, r, "small", 5)
		if n := r.EntriesRead() - before; n > 5+3 {
			t.Errorf("the small organization's check read %d entries", n)
		}
		storetest.DropHistoryGuards(t, st)
		st.DB(ctx).Exec("DELETE FROM audit_checkpoints WHERE seq = 2000")
		if rep, _ := r.Verify(ctx); rep.OK || rep.Problem != ProblemCheckpoint || rep.BrokenSeq != 2000 {
			t.Fatalf("a removed checkpoint: %+v", rep)
		}
		if rep, _ := r.VerifyOrg(ctx, "small", nil); rep.OK || rep.Problem != ProblemChainBroken {
			t.Fatalf("a removed checkpoint, for an organization: %+v", rep)
		}
	})
}

// Put back as it was at an earlier moment (head rows from an older copy), the
// history holds on its own; only a head exported since tells, to the
// organization's check and to the full walk.
func TestExportedOrgHeadFindsARollback(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		r := New(st)
		record := func(n int) {
			for i := 0; i < n; i++ {
				if err := r.Record(ctx, Entry{OrgID: "o1", Action: SignOut}); err != nil {
					t.Fatal(err)
				}
			}
		}
		record(4)
		db := st.DB(ctx)
		var oldHead head
		var oldOrg orgHead
		db.Take(&oldHead, 1)
		db.Where("org_id = 'o1'").Take(&oldOrg)
		record(2)
		exported, err := r.OrgHead(ctx, "o1")
		if err != nil || exported.Seq != 6 {
			t.Fatalf("%+v %v", exported, err)
		}
		if rep, err := r.VerifyOrg(ctx, "o1", &exported); err != nil || !rep.OK {
			t.Fatalf("with the head just exported: %+v %v", rep, err)
		}
		storetest.DropHistoryGuards(t, st)
		db.Exec("DELETE FROM audit_events WHERE seq > 4")
		db.Save(&oldHead)
		db.Save(&oldOrg)
		if rep, err := r.VerifyOrg(ctx, "o1", nil); err != nil || !rep.OK {
			t.Fatalf("an older state holds on its own: %+v %v", rep, err)
		}
		if rep, _ := r.VerifyOrg(ctx, "o1", &exported); rep.OK || rep.Problem != ProblemHeadMismatch || rep.Number != 6 {
			t.Fatalf("the exported head did not tell: %+v", rep)
		}
		if rep, _ := r.VerifyWithHead(ctx, &exported); rep.OK || rep.Problem != ProblemHeadMismatch {
			t.Fatalf("the full walk with the organization's head: %+v", rep)
		}
		exported.Seq = 5
		if _, err := r.VerifyOrg(ctx, "o1", &exported); !errors.Is(err, ErrHeadInvalid) {
			t.Fatalf("an edited head file: %v", err)
		}
	})
}
