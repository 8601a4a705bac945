package service

import (
	"context"
	"sync"
	"time"

	"atrium/backend/domain"
)

// Long work (an import, an export, a backup or a restore) runs inside one
// operation call, which may take seconds: while it runs, the console reads
// how far it is with jobs.progress and shows a bar with a count, and the
// person may go elsewhere in the meantime. A job is named after the
// operation that runs it and belongs to its caller: one account, in one
// organization (or on the whole desktop, for backups). Jobs live in this
// process only, like the calls they follow: nothing is stored.

// JobState is where a job is: none yet, running, or ended (done or failed).
type JobState string

const (
	JobNone    JobState = ""
	JobRunning JobState = "running"
	JobDone    JobState = "done"
	JobFailed  JobState = "failed"
)

// JobUnit is what a job counts: rows of a file, or bytes of a copy.
type JobUnit string

const (
	JobRows  JobUnit = "rows"
	JobBytes JobUnit = "bytes"
	// JobSections: the parts of a file read one after the other (a
	// person's own data: profile, memberships, history…).
	JobSections JobUnit = "sections"
)

// JobProgress is one job as jobs.progress reads it. Total is 0 while it is
// not known yet; a known Total grows when Done passes it (more rows than
// counted), and a job done ends with Done == Total.
type JobProgress struct {
	Name  string   `json:"name"`
	State JobState `json:"state"`
	Unit  JobUnit  `json:"unit"`
	Done  int64    `json:"done"`
	Total int64    `json:"total"`
}

// JobRef names the caller's job to read.
type JobRef struct {
	Name string `json:"name"`
}

// jobKinds are the jobs there are: what each counts, and whether it belongs
// to the desktop (its backups) rather than to one organization.
var jobKinds = map[string]struct {
	unit    JobUnit
	desktop bool
}{
	"members.import": {unit: JobRows},
	"members.export": {unit: JobRows},
	"history.export": {unit: JobRows},
	// A person's own data (dataexport.go), section by section.
	"account.exportData": {unit: JobSections},
	"backups.create":     {unit: JobBytes, desktop: true},
	"backups.export":     {unit: JobBytes, desktop: true},
	"backups.restore":    {unit: JobBytes, desktop: true},
}

// jobKept is how long an ended job is still read as ended, for a console
// that asks once more after its call came back (or another tab).
const jobKept = 2 * time.Minute

type jobKey struct{ name, org, account string }

type jobRun struct {
	p     JobProgress
	ended time.Time
}

// Jobs are the jobs running in this process (and those ended lately).
type Jobs struct {
	mu   sync.Mutex
	runs map[jobKey]*jobRun
	now  func() time.Time
}

func newJobs(now func() time.Time) *Jobs { return &Jobs{runs: map[jobKey]*jobRun{}, now: now} }

func jobKeyOf(a domain.Actor, name string) jobKey {
	k := jobKey{name: name, account: a.AccountID}
	if !jobKinds[name].desktop {
		k.org = a.OrgID
	}
	return k
}

// Job is one running job, as the work counts it. A nil Job (services built
// without Jobs, the daily backup nobody watches) counts nothing.
type Job struct {
	jobs *Jobs
	key  jobKey
	run  *jobRun
}

// start begins the caller's job name, replacing one ended or still counted
// under the same name; total may be 0 (not known yet).
func (j *Jobs) start(a domain.Actor, name string, total int64) *Job {
	if j == nil {
		return nil
	}
	kind, ok := jobKinds[name]
	if !ok {
		panic("service: unknown job " + name)
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	now := j.now()
	for k, r := range j.runs { // the ended ones no one asked about
		if !r.ended.IsZero() && now.Sub(r.ended) > jobKept {
			delete(j.runs, k)
		}
	}
	k := jobKeyOf(a, name)
	r := &jobRun{p: JobProgress{Name: name, State: JobRunning, Unit: kind.unit, Total: max(total, 0)}}
	j.runs[k] = r
	return &Job{jobs: j, key: k, run: r}
}

// update changes the job's counts under the lock, if it is still the
// caller's current run of that name.
func (b *Job) update(fn func(p *JobProgress)) {
	if b == nil {
		return
	}
	b.jobs.mu.Lock()
	defer b.jobs.mu.Unlock()
	if b.run.p.State != JobRunning {
		return
	}
	fn(&b.run.p)
	if b.run.p.Done > b.run.p.Total && b.run.p.Total > 0 { // more than counted: the total grows
		b.run.p.Total = b.run.p.Done
	}
}

// SetTotal sets how much there is to do (known once counted); a total below
// what is done already grows to it.
func (b *Job) SetTotal(n int64) {
	b.update(func(p *JobProgress) { p.Total = max(n, p.Done) })
}

// Add counts n more done.
func (b *Job) Add(n int64) { b.update(func(p *JobProgress) { p.Done += n }) }

// Set says how much is done in all.
func (b *Job) Set(n int64) { b.update(func(p *JobProgress) { p.Done = max(n, p.Done) }) }

// End ends the job: done, all of it, or failed with err.
func (b *Job) End(err error) {
	if b == nil {
		return
	}
	b.jobs.mu.Lock()
	defer b.jobs.mu.Unlock()
	if b.run.p.State != JobRunning {
		return
	}
	b.run.ended = b.jobs.now()
	if err != nil {
		b.run.p.State = JobFailed
		return
	}
	// Done, the job ends at its total: what it did, which may be below the
	// count made first (a member left meanwhile, a copy without its free
	// pages), or the total alone when it counted nothing along the way.
	b.run.p.State = JobDone
	if b.run.p.Done > 0 {
		b.run.p.Total = b.run.p.Done
	} else {
		b.run.p.Done = b.run.p.Total
	}
}

// get reads the caller's job name: none when it never ran here or ended
// more than jobKept ago.
func (j *Jobs) get(a domain.Actor, name string) JobProgress {
	none := JobProgress{Name: name, Unit: jobKinds[name].unit}
	if j == nil {
		return none
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	r := j.runs[jobKeyOf(a, name)]
	if r == nil || (!r.ended.IsZero() && j.now().Sub(r.ended) > jobKept) {
		return none
	}
	return r.p
}

// JobsService serves jobs.progress.
type JobsService struct{ Deps }

// Progress is jobs.progress: how far the caller's job of that name is, for
// the console's progress bar (its page may be left and opened again while
// the job runs). Anyone signed in reads their own jobs only.
func (s *JobsService) Progress(_ context.Context, a domain.Actor, in JobRef) (JobProgress, error) {
	if _, ok := jobKinds[in.Name]; !ok {
		return JobProgress{}, domain.FieldErrors{"name": domain.FieldInvalidChoice}.Err()
	}
	return s.jobs.get(a, in.Name), nil
}
