package service

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"atrium/backend/audit"
	"atrium/backend/domain"
	"atrium/backend/store"
	"atrium/backend/storetest"
	benchmembers "atrium/bench/members"
)

func init() {
	opCases["jobs.progress"] = opCase{input: func(*fixture) string { return `{"name":"members.export"}` }}
}

// A job counts up, its total grows when more is done than counted, it ends
// at its total, and it belongs to one account in one organization (the
// backups to one account on the whole desktop); an ended job is read as
// ended for a while, then forgotten.
func TestJobsCount(t *testing.T) {
	now := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	j := newJobs(func() time.Time { return now })
	anne := domain.Actor{AccountID: "anne", OrgID: "a"}
	inB := domain.Actor{AccountID: "anne", OrgID: "b"}
	paul := domain.Actor{AccountID: "paul", OrgID: "a"}

	job := j.start(anne, "members.export", 0)
	if p := j.get(anne, "members.export"); p.State != JobRunning || p.Total != 0 || p.Unit != JobRows {
		t.Fatalf("started: %+v", p)
	}
	job.SetTotal(5000)
	job.Add(1200)
	if p := j.get(anne, "members.export"); p.Done != 1200 || p.Total != 5000 {
		t.Fatalf("counting: %+v", p)
	}
	for _, who := range []domain.Actor{inB, paul} {
		if p := j.get(who, "members.export"); p.State != JobNone {
			t.Fatalf("%+v sees anne's job: %+v", who, p)
		}
	}
	job.Add(4000) // more than counted
	if p := j.get(anne, "members.export"); p.Done != 5200 || p.Total != 5200 {
		t.Fatalf("past the count: %+v", p)
	}
	job.End(nil)
	job.Add(10) // nothing counts once ended
	if p := j.get(anne, "members.export"); p.State != JobDone || p.Done != 5200 || p.Total != 5200 {
		t.Fatalf("ended: %+v", p)
	}
	now = now.Add(jobKept + time.Second)
	if p := j.get(anne, "members.export"); p.State != JobNone {
		t.Fatalf("long after: %+v", p)
	}

	// Fewer than counted: it ends at what it did.
	job = j.start(anne, "members.export", 10)
	job.Add(7)
	job.End(nil)
	if p := j.get(anne, "members.export"); p.Done != 7 || p.Total != 7 {
		t.Fatalf("fewer than counted: %+v", p)
	}
	job = j.start(anne, "history.export", 10)
	job.Add(3)
	job.End(errors.New("disk full"))
	if p := j.get(anne, "history.export"); p.State != JobFailed || p.Done != 3 {
		t.Fatalf("failed: %+v", p)
	}
	// A backup is the desktop's: the same account sees it whatever the
	// organization its console shows.
	backup := j.start(anne, "backups.create", 100)
	backup.Set(40)
	if p := j.get(inB, "backups.create"); p.State != JobRunning || p.Done != 40 || p.Unit != JobBytes {
		t.Fatalf("backup from another organization's console: %+v", p)
	}
	if p := j.get(paul, "backups.create"); p.State != JobNone {
		t.Fatalf("another account sees the backup: %+v", p)
	}
	var nothing *Job // services built without jobs count nothing
	nothing.Add(1)
	nothing.End(nil)
}

// follow calls op in the background and reads jobs.progress for name as
// often as it can until op answers; it returns op's answer, every progress
// seen running, and the last one read after.
func follow(t *testing.T, e *env, token, op, input, name string) (Result, []JobProgress, JobProgress) {
	t.Helper()
	progress := func() JobProgress {
		return out[JobProgress](t, e.mustCall("jobs.progress", token, fmt.Sprintf(`{"name":%q}`, name)))
	}
	type answer struct {
		res Result
		err error
	}
	done := make(chan answer, 1)
	go func() {
		res, err := e.call(op, token, input)
		done <- answer{res, err}
	}()
	var seen []JobProgress
	for {
		select {
		case a := <-done:
			if a.err != nil {
				t.Fatalf("%s: %v", op, a.err)
			}
			return a.res, seen, progress()
		default:
			if p := progress(); p.State == JobRunning {
				seen = append(seen, p)
			}
		}
	}
}

// checkSteps fails unless the progress seen only went forward, within its
// total, and was seen at moves counts at least between 0 and the end.
func checkSteps(t *testing.T, seen []JobProgress, total int64, moves int) {
	t.Helper()
	moved := map[int64]bool{}
	for i, p := range seen {
		if p.Total != 0 && p.Total != total || p.Done < 0 || (p.Total > 0 && p.Done > p.Total) || (i > 0 && p.Done < seen[i-1].Done) {
			t.Fatalf("progress %d of %d: %+v (total %d)", i, len(seen), p, total)
		}
		if p.Done > 0 && p.Done < total {
			moved[p.Done] = true
		}
	}
	if len(moved) < moves {
		t.Fatalf("the count was not seen moving: %d readings, %d counts in between", len(seen), len(moved))
	}
}

// A 5,000-member export read 500 at a time: its author sees the count of
// rows written move up to the members counted first, and end at the file's
// rows; nobody else sees it.
func TestMembersExportProgress(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		if err := benchmembers.Generate(context.Background(), st, f.orgA, "", 5000); err != nil {
			t.Fatal(err)
		}
		memberExportPage = 500
		defer func() { memberExportPage = defaultMemberExportPage }()
		before := out[JobProgress](t, e.mustCall("jobs.progress", f.adminA, `{"name":"members.export"}`))
		if before.State != JobNone || before.Done != 0 {
			t.Fatalf("before: %+v", before)
		}
		res, seen, after := follow(t, e, f.adminA, "members.export", `{}`, "members.export")
		file := res.Output.(ExportFile)
		if file.Rows < 5000 || strings.Count(file.Content, "\r\n") != file.Rows+1 {
			t.Fatalf("file of %d rows", file.Rows)
		}
		checkSteps(t, seen, int64(file.Rows), 2)
		if after.State != JobDone || after.Done != int64(file.Rows) || after.Total != int64(file.Rows) {
			t.Fatalf("after: %+v, file of %d rows", after, file.Rows)
		}
		if p := out[JobProgress](t, e.mustCall("jobs.progress", f.adminB, `{"name":"members.export"}`)); p.State != JobNone {
			t.Fatalf("another organization's admin: %+v", p)
		}
		if _, err := e.call("jobs.progress", f.adminA, `{"name":"nothing"}`); domain.CodeOf(err) != domain.CodeValidation {
			t.Fatalf("an unknown job: %v", err)
		}
		t.Logf("%d readings, last running %+v", len(seen), seen[len(seen)-1])
	})
}

// The history's export of 3,000 entries counts them first, then each one
// read, and ends at the file's rows.
func TestHistoryExportProgress(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		ctx := context.Background()
		by := domain.Actor{AccountID: f.adminAID, OrgID: f.orgA}
		err := st.Tx(ctx, func(ctx context.Context) error {
			for i := range 3000 {
				if err := e.rec.Record(ctx, audit.Entry{By: by, OrgID: f.orgA, Action: audit.MemberUpdated, SubjectType: "membership",
					SubjectID: f.memberOf(f.memberAID), Details: map[string]any{"fields": []string{fmt.Sprintf("job_title_%d", i)}}}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// Held a moment at two places midway, so its count is seen there
		// however quickly the machine reads the rest.
		historyExportPage = 100
		historyExportRead = func(n int) {
			if n == 1000 || n == 2000 {
				time.Sleep(300 * time.Millisecond)
			}
		}
		defer func() { historyExportPage, historyExportRead = 500, nil }()
		res, seen, after := follow(t, e, f.adminA, "history.export", `{}`, "history.export")
		file := res.Output.(ExportFile)
		if file.Rows < 3000 {
			t.Fatalf("file of %d rows", file.Rows)
		}
		checkSteps(t, seen, int64(file.Rows), 2)
		if after.State != JobDone || after.Done != int64(file.Rows) || after.Total != after.Done {
			t.Fatalf("after an export of %d rows: %+v", file.Rows, after)
		}
		t.Logf("%d readings, last running %+v", len(seen), seen[len(seen)-1])
	})
}

// A backup, and a restore, count the bytes they copy, moving, up to the end.
func TestBackupProgress(t *testing.T) {
	dir := t.TempDir()
	e, sys := desktopAt(t, dir, noDialogs{})
	defer sys.Close()
	owner := e.setup()
	storetest.Fill(t, e.st, 10000) // 40 MB: a copy that takes a while
	res, seen, after := follow(t, e, owner, "backups.create", `{}`, "backups.create")
	made := res.Output.(BackupItem)
	if after.State != JobDone || after.Unit != JobBytes || after.Done != after.Total || after.Total < made.Size/2 {
		t.Fatalf("after a backup of %d bytes: %+v", made.Size, after)
	}
	if len(seen) == 0 || seen[len(seen)-1].Total == 0 {
		t.Fatalf("the backup was never seen counting: %v", seen)
	}
	// The copy's size is read every 50 ms by the store, while SQLite writes
	// it: on a busy machine one reading in between is what can be counted on.
	checkSteps(t, seen, seen[len(seen)-1].Total, 1)
	t.Logf("backup: %d readings, last running %+v, size %d", len(seen), seen[len(seen)-1], made.Size)

	_, seen, after = follow(t, e, owner, "backups.restore", `{"name":"`+made.Name+`"}`, "backups.restore")
	if after.State != JobDone || after.Done != after.Total || after.Total < made.Size {
		t.Fatalf("after the restore: %+v", after)
	}
	if len(seen) == 0 {
		t.Fatal("the restore was never seen running")
	}
	for i := 1; i < len(seen); i++ {
		if seen[i].Done < seen[i-1].Done {
			t.Fatalf("the restore went back: %v", seen)
		}
	}
	t.Logf("restore: %d readings, last running %+v", len(seen), seen[len(seen)-1])
}
