package service

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"atrium/backend/domain"
	"atrium/backend/mail"
)

// The weekly digest: on Monday from 07:00 (in the account's own timezone,
// store.AccountTimezone), each account that switched it on gets one message
// telling, dossier by dossier, its late tasks and those due in the coming
// week. Whichever program is running sends it — the server, or a desktop
// that is open — and once: the week's message is looked for in the outbox
// in the same transaction that writes it, and writes follow one another.

// digestHour is when, on Monday, the week's digest is due.
const digestHour = 7

// digestEvery is how often the outbox worker's rounds look for digests due.
const digestEvery = 10 * time.Minute

// digests remembers when the worker last looked.
type digests struct {
	mu   sync.Mutex
	last time.Time
}

// digestsDue runs SendWeeklyDigests at the worker's first round, then at most every
// digestEvery.
func (s *Services) digestsDue(ctx context.Context) error {
	now := s.Home.now()
	s.digests.mu.Lock()
	if !s.digests.last.IsZero() && now.Sub(s.digests.last) < digestEvery && now.After(s.digests.last) {
		s.digests.mu.Unlock()
		return nil
	}
	s.digests.last = now
	s.digests.mu.Unlock()
	_, err := s.SendWeeklyDigests(ctx)
	return err
}

// SendWeeklyDigests writes the digests due now and not written yet this
// week, and answers how many it wrote. Nothing is written while mail cannot
// be sent.
func (s *Services) SendWeeklyDigests(ctx context.Context) (int, error) {
	if on, err := s.Mail.Configured(ctx); err != nil || !on {
		return 0, err
	}
	ids, err := s.Home.Store.AccountsWanting(ctx, NotifyWeeklyDigest)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, id := range ids {
		ok, err := s.sendDigest(ctx, id)
		if err != nil {
			return sent, err
		}
		if ok {
			sent++
		}
	}
	return sent, nil
}

func (s *Services) sendDigest(ctx context.Context, accountID string) (bool, error) {
	summary, err := s.Home.Summary(ctx, domain.Actor{AccountID: accountID}, Empty{})
	if err != nil || summary.Dossiers == 0 {
		return false, err
	}
	zone, err := s.Home.Store.AccountTimezone(ctx, accountID)
	if err != nil || zone == "" {
		return false, err
	}
	now := s.Home.now()
	since := weekDigestStart(now, zone)
	if now.Before(since) {
		return false, nil
	}
	wrote := false
	err = s.Home.Store.WriteTx(ctx, func(ctx context.Context) error {
		done, err := s.Home.Store.MessageSince(ctx, accountID, mail.KindWeeklyDigest, since)
		if err != nil || done {
			return err
		}
		acc, err := s.Home.Store.AccountByID(ctx, accountID)
		if err != nil {
			return err
		}
		d := mail.Data{Name: acc.FirstName, Items: digestLines(acc.Language, summary), Link: s.Mail.consoleLink("/home")}
		wrote = true
		return s.Mail.queue(ctx, outgoing{AccountID: acc.ID, To: acc.Email, Language: acc.Language, Kind: mail.KindWeeklyDigest, Data: d})
	})
	return wrote && err == nil, err
}

// weekDigestStart is this week's Monday at digestHour in the zone, in UTC.
func weekDigestStart(now time.Time, zone string) time.Time {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		loc = time.UTC
	}
	t := now.In(loc)
	back := (int(t.Weekday()) + 6) % 7 // days since Monday
	y, m, d := t.AddDate(0, 0, -back).Date()
	return time.Date(y, m, d, digestHour, 0, 0, 0, loc).UTC()
}

// digestLines are the digest's lines: per dossier, the account's late tasks
// and those due in the week; a line saying so when nothing waits.
func digestLines(lang string, sum HomeSummary) []string {
	type counts struct{ late, week int }
	by := map[string]*counts{}
	var order []string
	of := func(dossier string) *counts {
		c, ok := by[dossier]
		if !ok {
			c = &counts{}
			by[dossier] = c
			order = append(order, dossier)
		}
		return c
	}
	for _, t := range sum.Tasks {
		c := of(t.Dossier.Name)
		if t.LateDays > 0 {
			c.late++
		}
	}
	for _, w := range sum.Waiting {
		if w.DueThisWeek != nil && *w.DueThisWeek > 0 {
			of(w.Dossier.Name).week = int(*w.DueThisWeek)
		}
	}
	var out []string
	for _, name := range order {
		c := by[name]
		if c.late == 0 && c.week == 0 {
			continue
		}
		out = append(out, fmt.Sprintf("• %s : %s", name, digestCounts(lang, c.late, c.week)))
	}
	if len(out) == 0 {
		if lang == "en" {
			return []string{"Nothing is late and nothing is due this week. Have a good week!"}
		}
		return []string{"Rien n'est en retard et rien n'est à rendre cette semaine. Bonne semaine !"}
	}
	return out
}

func digestCounts(lang string, late, week int) string {
	plural := func(n int, one, many string) string {
		if n > 1 {
			return fmt.Sprintf(many, n)
		}
		return fmt.Sprintf(one, n)
	}
	var parts []string
	if lang == "en" {
		if late > 0 {
			parts = append(parts, plural(late, "%d late task", "%d late tasks"))
		}
		if week > 0 {
			parts = append(parts, plural(week, "%d task due this week", "%d tasks due this week"))
		}
		return strings.Join(parts, " and ")
	}
	if late > 0 {
		parts = append(parts, plural(late, "%d tâche en retard", "%d tâches en retard"))
	}
	if week > 0 {
		parts = append(parts, plural(week, "%d tâche à rendre cette semaine", "%d tâches à rendre cette semaine"))
	}
	return strings.Join(parts, " et ")
}
