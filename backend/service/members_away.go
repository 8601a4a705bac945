package service

import (
	"context"
	"time"

	"atrium/backend/audit"
	"atrium/backend/domain"
	"atrium/backend/store"
)

// A member away (SPEC C7). The membership keeps its status active, so an
// away member signs in and keeps every right (every access check reads that
// status); the absence is a row of member_absences, and the screens read the
// member as "away" while it is current: without a return date, or until the
// day before it in the organization's calendar. An absence past its date is
// ended by whoever reads it (the member list, task assignment, the dossier,
// Accueil), and removed, with its history entry, by the sweep (sweepAbsences)
// that Start runs once and the programs run hourly.

// MemberAway is a member's current absence as the screens show it.
type MemberAway struct {
	ReturnsOn string     `json:"returnsOn"` // YYYY-MM-DD, the first day back; empty: until ended by hand
	Delegate  *PersonRef `json:"delegate"`  // who takes the new work meanwhile
	// DelegateMemberID is the delegate's membership, as members.setAway names it.
	DelegateMemberID string `json:"delegateMemberId"`
}

// today is the organization's date now (YYYY-MM-DD).
func (d Deps) today(ctx context.Context, orgID string) (string, error) {
	o, err := d.Store.OrganizationByID(ctx, orgID)
	if err != nil {
		return "", err
	}
	return dayIn(d.now(), o.Timezone).Format(time.DateOnly), nil
}

func awayView(r store.AbsenceRow) *MemberAway {
	v := &MemberAway{ReturnsOn: str(r.ReturnsOn), DelegateMemberID: r.DelegateMemberID}
	if r.DelegateID != nil {
		v.Delegate = personRef(*r.DelegateID, r.DelegateFirstName, r.DelegateLastName)
	}
	return v
}

// markAway gives the members of items who are away today the status away
// and their absence.
func (s *Members) markAway(ctx context.Context, orgID string, items []MemberItem) error {
	if len(items) == 0 {
		return nil
	}
	today, err := s.today(ctx, orgID)
	if err != nil {
		return err
	}
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	away, err := s.Store.CurrentAbsences(ctx, orgID, today, ids)
	for i, it := range items {
		if r, ok := away[it.ID]; ok && it.Status == domain.MemberActive {
			items[i].Status, items[i].Away = domain.MemberAway, awayView(r)
		}
	}
	return err
}

// awayFilter turns the list's status filter "away" or "active" into the
// active members who are, or are not, away today.
func (s *Members) awayFilter(ctx context.Context, orgID string, f *store.MemberFilter) error {
	if f.Status != domain.MemberAway && f.Status != domain.MemberActive {
		return nil
	}
	day, err := s.today(ctx, orgID)
	f.Away, f.AwayOn, f.Status = f.Status == domain.MemberAway, day, domain.MemberActive
	return err
}

// AwayInput marks a member away, or changes their absence.
type AwayInput struct {
	MemberID   string `json:"memberId"`
	ReturnsOn  string `json:"returnsOn"`  // YYYY-MM-DD, the first day back; empty: until ended by hand
	DelegateID string `json:"delegateId"` // a member who takes the new work, or empty
}

// SetAway marks an active member away (SPEC C7): until the return date, if
// one is given, new tasks assigned to them go to the delegate, if one is
// named, and the dossier they are responsible for shows the delegate as
// acting responsible. They keep signing in and every right. Sent again, it
// changes the return date or the delegate.
func (s *Members) SetAway(ctx context.Context, a domain.Actor, in AwayInput) (MemberDetail, error) {
	err := s.write(ctx, a, func(w *Write) error {
		ctx := w.Ctx()
		m, err := s.editable(ctx, a.OrgID, in.MemberID)
		if err != nil {
			return err
		}
		if m.Status != domain.MemberActive {
			return domain.FieldErrors{"memberId": domain.FieldInvalidStatus}.Err()
		}
		today, err := s.today(ctx, a.OrgID)
		if err != nil {
			return err
		}
		errs := domain.FieldErrors{}
		var returnsOn, delegate *string
		if in.ReturnsOn != "" {
			d, perr := time.Parse(time.DateOnly, in.ReturnsOn)
			switch {
			case perr != nil || d.Year() > 2999:
				errs.Add("returnsOn", domain.FieldInvalidDate)
			case d.Format(time.DateOnly) <= today:
				errs.Add("returnsOn", domain.FieldReturnDatePast)
			default:
				v := d.Format(time.DateOnly)
				returnsOn = &v
			}
		}
		if in.DelegateID == m.ID {
			errs.Add("delegateId", domain.FieldDelegateSelf)
		} else if in.DelegateID != "" {
			dm, err := s.Store.MemberByID(ctx, a.OrgID, in.DelegateID)
			if err != nil && domain.CodeOf(err) != domain.CodeNotFound {
				return err
			}
			code, err := s.delegateProblem(ctx, a.OrgID, today, dm, err == nil)
			if err != nil {
				return err
			}
			if code != "" {
				errs.Add("delegateId", code)
			}
			delegate = &dm.AccountID
		}
		if err := errs.Err(); err != nil {
			return err
		}
		before, had, err := s.Store.AbsenceOf(ctx, a.OrgID, m.ID)
		if err != nil {
			return err
		}
		if had && str(before.ReturnsOn) == str(returnsOn) && str(before.DelegateID) == str(delegate) {
			w.Nothing()
			return nil
		}
		if err := s.Store.SaveAbsence(ctx, store.Absence{MembershipID: m.ID, OrgID: a.OrgID, AccountID: m.AccountID,
			ReturnsOn: returnsOn, DelegateID: delegate, CreatedAt: s.now()}); err != nil {
			return err
		}
		return s.absenceChanged(w, a, m, audit.MemberAway, map[string]any{"returnsOn": str(returnsOn), "delegateId": str(delegate)})
	})
	if err != nil {
		return MemberDetail{}, err
	}
	return s.detail(ctx, a, in.MemberID)
}

// delegateProblem says why a member cannot take an away member's new work
// (a field code), or "" when they can: they must be an active member, not
// away themself, who can be given tasks (who sees them).
func (d Deps) delegateProblem(ctx context.Context, orgID, today string, m store.MemberRecord, found bool) (string, error) {
	if !found || m.Status != domain.MemberActive {
		return domain.FieldInvalidMember, nil
	}
	if _, away, err := d.Store.CurrentAbsenceOf(ctx, orgID, m.AccountID, today); err != nil || away {
		return domain.FieldDelegateAway, err
	}
	r, err := d.Store.RightsOf(ctx, orgID, m.AccountID)
	if err != nil || r.IsAdmin || r.Rights[domain.RightTasksView] {
		return "", err
	}
	return domain.FieldDelegateNoTasks, nil
}

// EndAway ends a member's absence before its date: one click.
func (s *Members) EndAway(ctx context.Context, a domain.Actor, in MemberRef) (MemberDetail, error) {
	err := s.write(ctx, a, func(w *Write) error {
		m, err := s.editable(w.Ctx(), a.OrgID, in.MemberID)
		if err != nil {
			return err
		}
		return s.endAbsence(w, a, m, false)
	})
	if err != nil {
		return MemberDetail{}, err
	}
	return s.detail(ctx, a, in.MemberID)
}

// endAbsence removes m's absence, if any, and records the return; automatic
// is the sweep's, at the return date.
func (s *Members) endAbsence(w *Write, a domain.Actor, m store.MemberRecord, automatic bool) error {
	before, had, err := s.Store.AbsenceOf(w.Ctx(), a.OrgID, m.ID)
	if err != nil {
		return err
	}
	if !had {
		w.Nothing()
		return nil
	}
	if _, err := s.Store.EndAbsence(w.Ctx(), a.OrgID, m.ID); err != nil {
		return err
	}
	return s.absenceChanged(w, a, m, audit.MemberReturned, map[string]any{"returnsOn": str(before.ReturnsOn), "automatic": automatic})
}

// absenceChanged declares a change of m's absence: the member, and the
// dossier when m is its responsible (its acting responsible changed).
func (s *Members) absenceChanged(w *Write, a domain.Actor, m store.MemberRecord, action string, details map[string]any) error {
	if err := s.memberChanged(w, a, m, action, details); err != nil {
		return err
	}
	what, err := s.Store.SuccessionOf(w.Ctx(), a.OrgID, m.AccountID)
	if err != nil || !what.Responsible {
		return err
	}
	return (&Orgs{s.Deps}).changedOrg(w, a.OrgID)
}

// sweepAbsences ends every absence whose return date has come in its
// organization's calendar, each in its own write, recorded as a return. It is
// safe to run in several processes at once: each write reads the absence
// again and ends only what is still there.
func (s *Members) sweepAbsences(ctx context.Context) (int, error) {
	now := s.now()
	// No timezone is more than a day ahead of UTC.
	due, err := s.Store.AbsencesWithReturn(ctx, now.AddDate(0, 0, 1).Format(time.DateOnly))
	if err != nil {
		return 0, err
	}
	ended := 0
	for _, x := range due {
		if *x.ReturnsOn > dayIn(now, x.Timezone).Format(time.DateOnly) {
			continue
		}
		a := domain.Actor{OrgID: x.OrgID}
		err := s.write(ctx, a, func(w *Write) error {
			cur, ok, err := s.Store.AbsenceOf(w.Ctx(), x.OrgID, x.MembershipID)
			if err != nil || !ok || str(cur.ReturnsOn) != *x.ReturnsOn {
				w.Nothing()
				return err
			}
			m, err := s.Store.MemberByID(w.Ctx(), x.OrgID, x.MembershipID)
			if err != nil {
				return err
			}
			ended++
			return s.endAbsence(w, a, m, true)
		})
		if err != nil {
			return ended, err
		}
	}
	return ended, nil
}

// AbsenceSweep ends due absences: once when Atrium starts (Start), then every
// hour while a program runs it, so a return date that comes while the server
// runs, or while the desktop was closed, ends the absence by itself.
type AbsenceSweep struct {
	members *Members
	Every   time.Duration
}

// Sweep ends the absences due now.
func (s *AbsenceSweep) Sweep(ctx context.Context) (int, error) { return s.members.sweepAbsences(ctx) }

// Run sweeps every Every (an hour) until ctx ends.
func (s *AbsenceSweep) Run(ctx context.Context) {
	t := time.NewTicker(s.Every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := s.Sweep(ctx); err != nil && ctx.Err() == nil {
				s.members.Log.Error("ending due absences", "err", err)
			}
		}
	}
}

// delegateFor is who takes a task meant for accountID today: the delegate of
// their current absence when that delegate can take it (delegateProblem),
// else nobody ("").
func (d Deps) delegateFor(ctx context.Context, orgID, accountID string) (string, error) {
	today, err := d.today(ctx, orgID)
	if err != nil {
		return "", err
	}
	x, away, err := d.Store.CurrentAbsenceOf(ctx, orgID, accountID, today)
	if err != nil || !away || x.DelegateID == nil {
		return "", err
	}
	m, err := d.Store.MemberByAccount(ctx, orgID, *x.DelegateID)
	if err != nil && domain.CodeOf(err) != domain.CodeNotFound {
		return "", err
	}
	code, err := d.delegateProblem(ctx, orgID, today, m, err == nil)
	if err != nil || code != "" {
		return "", err
	}
	return m.AccountID, nil
}

// forAbsent gives a task whose assignee is set to want to the delegate of an
// away assignee instead, and records for whom (the task says "in the place
// of"). current is the task's assignee before (nil for a new task): a task
// its away assignee already had stays theirs, and the record changes only
// with the assignee. It returns the assignee to write.
func (s *Tasks) forAbsent(ctx context.Context, orgID, taskID string, current, want *string) (*string, error) {
	if str(want) == str(current) {
		return want, nil // a task kept by its assignee stays theirs (only the work given now goes on)
	}
	assignee, absent := want, (*string)(nil)
	if want != nil {
		d, err := s.delegateFor(ctx, orgID, *want)
		if err != nil {
			return nil, err
		}
		if d != "" {
			assignee, absent = &d, want
		}
	}
	if str(assignee) == str(current) {
		return assignee, nil
	}
	return assignee, s.Store.SetStandIn(ctx, orgID, taskID, absent)
}

// withStandIns names, on each task given in an away member's place, that member.
func (s *Tasks) withStandIns(ctx context.Context, orgID string, tasks []Task) error {
	ids := make([]string, len(tasks))
	for i, t := range tasks {
		ids[i] = t.ID
	}
	names, err := s.Store.StandInNames(ctx, orgID, ids)
	for i, t := range tasks {
		if n, ok := names[t.ID]; ok {
			tasks[i].InsteadOf = personRef(n[0], n[1], n[2])
		}
	}
	return err
}

// responsibleAway is the absence of the dossier's responsible, if they are
// away, with the acting responsible: their delegate, when they can act.
func (s *Orgs) responsibleAway(ctx context.Context, orgID, accountID string) (*MemberAway, error) {
	today, err := s.today(ctx, orgID)
	if err != nil {
		return nil, err
	}
	x, away, err := s.Store.CurrentAbsenceOf(ctx, orgID, accountID, today)
	if err != nil || !away {
		return nil, err
	}
	v := awayView(x)
	if acting, err := s.delegateFor(ctx, orgID, accountID); err != nil || acting == "" {
		v.Delegate, v.DelegateMemberID = nil, ""
		return v, err
	}
	return v, nil
}

// HomeAway is a member away in a dossier, on the home page.
type HomeAway struct {
	Name      string `json:"name"`
	ReturnsOn string `json:"returnsOn"` // YYYY-MM-DD or empty
}

// homeAbsences lists the members away in the given dossiers (ID → today there).
func (s *Home) homeAbsences(ctx context.Context, today map[string]string) (map[string][]HomeAway, error) {
	rows, err := s.Store.OrgsAbsences(ctx, today)
	out := map[string][]HomeAway{}
	for id := range today {
		out[id] = []HomeAway{}
	}
	for _, r := range rows {
		out[r.OrgID] = append(out[r.OrgID], HomeAway{Name: domain.Account{FirstName: r.FirstName, LastName: r.LastName}.FullName(),
			ReturnsOn: str(r.ReturnsOn)})
	}
	return out, err
}
