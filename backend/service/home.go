package service

import (
	"context"
	"sort"
	"sync"
	"time"

	"atrium/backend/domain"
	"atrium/backend/store"
)

// Home is the account's home page: what waits for it across every
// organization it is an active member of.
type Home struct {
	Deps
	auth *Auth
	reg  *Registry // set once the registry is built: its operations say which right reads what
}

// homeTaskLimit bounds the tasks the home page lists; the rest are counted
// (tests lower it).
var homeTaskLimit = 100

// HomeDossier names an organization on the home page.
type HomeDossier struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Closed bool   `json:"closed"`
}

// HomeTask is one of the account's open tasks.
type HomeTask struct {
	ID      string      `json:"id"`
	Title   string      `json:"title"`
	DueDate string      `json:"dueDate"` // YYYY-MM-DD or empty
	Dossier HomeDossier `json:"dossier"`
	// LateDays is how many days past its due date the task is, counted in
	// its dossier's timezone; 0 when it is not late.
	LateDays int `json:"lateDays"`
}

// HomeWaiting is a dossier with something waiting. A count the account may
// not read there (the right that lists it is missing) is null, never 0.
// DueThisWeek counts the account's own open tasks due in the dossier's
// coming seven days (today included).
type HomeWaiting struct {
	Dossier            HomeDossier `json:"dossier"`
	PendingInvitations *int64      `json:"pendingInvitations"`
	DueThisWeek        *int64      `json:"dueThisWeek"`
	// Away: the members away there and until when, where members.list is
	// allowed (else null).
	Away *[]HomeAway `json:"away"`
}

// HomeSummary is the home page.
type HomeSummary struct {
	Dossiers    int           `json:"dossiers"` // how many the account is an active member of
	Tasks       []HomeTask    `json:"tasks"`    // late first, then by due date
	TasksTotal  int64         `json:"tasksTotal"`
	Responsible []HomeDossier `json:"responsible"`
	Waiting     []HomeWaiting `json:"waiting"`
}

// What each part of the home page is read with: a dossier shows a part only
// where the account could call that operation, checked by authorize as for
// the call itself.
const (
	homeTasksOp       = "tasks.list"
	homeInvitationsOp = "invitations.list"
	homeMembersOp     = "members.list"
)

// Summary gathers the home page of the caller, in every organization it is an
// active member of. It reads nothing of an organization it is not in, and
// each part only where its right is held there.
func (s *Home) Summary(ctx context.Context, a domain.Actor, _ Empty) (HomeSummary, error) {
	out := HomeSummary{Tasks: []HomeTask{}, Responsible: []HomeDossier{}, Waiting: []HomeWaiting{}}
	orgs, err := s.Store.HomeOrgs(ctx, a.AccountID)
	if err != nil {
		return out, err
	}
	out.Dossiers = len(orgs)
	now := s.now()
	type dossier struct {
		HomeDossier
		today       time.Time // the dossier's date today, at 00:00 UTC
		tasks, invs bool
	}
	awayIn := map[string]string{} // dossier → its today, where members.list is allowed
	byID := make(map[string]*dossier, len(orgs))
	var taskOrgs, invOrgs []string
	for _, o := range orgs {
		acc, err := s.auth.access(ctx, o.ID, a.AccountID, o.RightsVersion)
		if err != nil {
			return out, err
		}
		actor := domain.Actor{AccountID: a.AccountID, OrgID: o.ID, SessionID: a.SessionID, OrgClosed: o.Status == domain.OrgClosed,
			IsAdmin: acc.rights.IsAdmin, Rights: acc.rights.Rights, MustEnrollTwoFactor: acc.mustEnrollTwoFactor}
		if !acc.rights.Active {
			continue
		}
		d := &dossier{HomeDossier: HomeDossier{ID: o.ID, Name: o.Name, Closed: o.Status == domain.OrgClosed},
			today: dayIn(now, o.Timezone), tasks: s.may(homeTasksOp, actor), invs: s.may(homeInvitationsOp, actor)}
		byID[o.ID] = d
		if s.may(homeMembersOp, actor) {
			awayIn[o.ID] = d.today.Format(time.DateOnly)
		}
		if d.tasks {
			taskOrgs = append(taskOrgs, o.ID)
		}
		if d.invs {
			invOrgs = append(invOrgs, o.ID)
		}
		if o.ResponsibleID != nil && *o.ResponsibleID == a.AccountID {
			out.Responsible = append(out.Responsible, d.HomeDossier)
		}
	}

	// The dossiers' calendars are at most a day or two apart: only between
	// the earliest and the latest "today" can one make late a task another
	// does not.
	var from, to time.Time
	for _, id := range taskOrgs {
		t := byID[id].today
		if from.IsZero() || t.Before(from) {
			from = t
		}
		if t.After(to) {
			to = t
		}
	}
	tasks, total, err := s.Store.HomeTasks(ctx, a.AccountID, taskOrgs, homeTaskLimit, from.Format(time.DateOnly), to.Format(time.DateOnly))
	if err != nil {
		return out, err
	}
	out.TasksTotal = total
	byDay, err := s.Store.HomeTasksDue(ctx, a.AccountID, taskOrgs, from.Format(time.DateOnly), to.AddDate(0, 0, 6).Format(time.DateOnly))
	if err != nil {
		return out, err
	}
	due := map[string]int64{}
	for org, days := range byDay {
		today := byID[org].today
		for day, n := range days {
			if d, err := time.Parse(time.DateOnly, day); err == nil && !d.Before(today) && !d.After(today.AddDate(0, 0, 6)) {
				due[org] += n
			}
		}
	}
	all := make([]HomeTask, 0, len(tasks))
	for _, t := range tasks {
		d := byID[t.OrgID]
		ht := HomeTask{ID: t.ID, Dossier: d.HomeDossier, LateDays: lateDays(t.DueDate, store.TaskOpen, d.today)}
		if t.DueDate != nil {
			ht.DueDate = *t.DueDate
		}
		all = append(all, ht)
	}
	// Late first (the latest the most), then by due date, those without one
	// last: each dossier's own calendar decides what is late.
	sort.Slice(all, func(i, j int) bool {
		x, y := all[i], all[j]
		if (x.LateDays > 0) != (y.LateDays > 0) {
			return x.LateDays > 0
		}
		if (x.DueDate == "") != (y.DueDate == "") {
			return y.DueDate == ""
		}
		if x.DueDate != y.DueDate {
			return x.DueDate < y.DueDate
		}
		return x.ID < y.ID
	})
	if len(all) > homeTaskLimit {
		all = all[:homeTaskLimit]
	}
	ids := make([]string, len(all))
	for i, t := range all {
		ids[i] = t.ID
	}
	titles, err := s.Store.HomeTaskTitles(ctx, a.AccountID, ids)
	if err != nil {
		return out, err
	}
	for i := range all {
		all[i].Title = titles[all[i].ID]
	}
	out.Tasks = all

	invs, err := s.Store.HomePendingInvitations(ctx, invOrgs)
	if err != nil {
		return out, err
	}
	away, err := s.homeAbsences(ctx, awayIn)
	if err != nil {
		return out, err
	}
	for _, o := range orgs {
		d := byID[o.ID]
		if d == nil {
			continue
		}
		w := HomeWaiting{Dossier: d.HomeDossier}
		if list, ok := away[o.ID]; ok {
			w.Away = &list
		}
		if d.tasks {
			n := due[o.ID]
			w.DueThisWeek = &n
		}
		if d.invs {
			n := invs[o.ID]
			w.PendingInvitations = &n
		}
		if d.Closed || (w.DueThisWeek != nil && *w.DueThisWeek > 0) || (w.PendingInvitations != nil && *w.PendingInvitations > 0) || (w.Away != nil && len(*w.Away) > 0) {
			out.Waiting = append(out.Waiting, w)
		}
	}
	return out, nil
}

// may tells whether the actor could call the named operation: the
// registry's own check, so the home page never shows what the page behind
// it would refuse.
func (s *Home) may(op string, a domain.Actor) bool {
	o, ok := s.reg.Lookup(op)
	return ok && authorize(o, a) == nil
}

var zones sync.Map // timezone name → *time.Location

// dayIn is the date it is at t in the named timezone, as midnight UTC (so
// dates subtract to whole days); an unknown zone counts as UTC.
func dayIn(t time.Time, zone string) time.Time {
	loc := time.UTC
	if v, ok := zones.Load(zone); ok {
		loc = v.(*time.Location)
	} else if l, err := time.LoadLocation(zone); err == nil {
		zones.Store(zone, l)
		loc = l
	}
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
