package mail_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"atrium/backend/domain"
	"atrium/backend/mail"
	"atrium/backend/mail/mailtest"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

func queue(t *testing.T, st *store.Store, n int, now time.Time) {
	t.Helper()
	for i := range n {
		subj, txt, html, err := mail.Render(mail.KindTest, "fr", mail.Data{})
		if err != nil {
			t.Fatal(err)
		}
		m := store.OutboxMessage{ID: domain.NewID(), ToAddr: fmt.Sprintf("person%d@example.fr", i), Language: "fr", Kind: mail.KindTest,
			Subject: subj, TextBody: txt, HTMLBody: html, Status: store.OutboxPending, NextAt: now, CreatedAt: now}
		if err := st.Create(context.Background(), &m); err != nil {
			t.Fatal(err)
		}
	}
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// Messages queued while the SMTP server is down are delivered once each when
// it comes back, by a worker started again (a restart), with backoff between
// the failed attempts.
func TestOutboxSurvivesSMTPDownAndRestart(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		mp := mailtest.Start(t)
		mp.Down()
		clock := time.Now().UTC().Truncate(time.Second)
		now := func() time.Time { return clock }
		settings := func(context.Context) (mail.Settings, error) { return mp.Settings(), nil }
		queue(t, st, 3, clock)

		w1 := mail.NewWorker(mail.WorkerConfig{Store: st, Settings: settings, Log: quiet(), Base: time.Minute, Now: now})
		if n, err := w1.Round(ctx); err != nil || n != 0 {
			t.Fatalf("round with SMTP down: sent %d, %v", n, err)
		}
		var msgs []store.OutboxMessage
		st.DB(ctx).Order("id").Find(&msgs)
		for _, m := range msgs {
			if m.Status != store.OutboxPending || m.Attempts != 1 || !m.NextAt.Equal(clock.Add(time.Minute)) ||
				m.LastError == "" || m.LastReason != mail.ReasonUnreachable {
				t.Fatalf("after a failed attempt: %+v", m)
			}
		}
		// Not due yet: nothing is tried.
		if n, _ := w1.Round(ctx); n != 0 {
			t.Fatal("a message was retried before its backoff")
		}
		clock = clock.Add(time.Minute)
		w1.Round(ctx) // second failure: the wait doubles
		st.DB(ctx).Order("id").Find(&msgs)
		if !msgs[0].NextAt.Equal(clock.Add(2*time.Minute)) || msgs[0].Attempts != 2 {
			t.Fatalf("backoff did not double: %+v", msgs[0])
		}

		// Restart: a new worker, the SMTP server back.
		mp.Up()
		clock = clock.Add(2 * time.Minute)
		w2 := mail.NewWorker(mail.WorkerConfig{Store: st, Settings: settings, Log: quiet(), Base: time.Minute, Now: now})
		var wg sync.WaitGroup
		var total int
		var mu sync.Mutex
		for range 2 { // two rounds at once: each message still goes once
			wg.Add(1)
			go func() {
				defer wg.Done()
				n, err := w2.Round(ctx)
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				total += n
				mu.Unlock()
			}()
		}
		wg.Wait()
		if total != 3 {
			t.Fatalf("sent %d messages, want 3", total)
		}
		caught := mp.Wait(3, 5*time.Second)
		if len(caught) != 3 {
			t.Fatalf("mailpit caught %d messages, want 3", len(caught))
		}
		seen := map[string]int{}
		for _, c := range caught {
			seen[c.To[0]]++
		}
		for i := range 3 {
			if seen[fmt.Sprintf("person%d@example.fr", i)] != 1 {
				t.Fatalf("deliveries per recipient: %v", seen)
			}
		}
		if n, _ := w2.Round(ctx); n != 0 {
			t.Fatal("a sent message was sent again")
		}
		st.DB(ctx).Order("id").Find(&msgs)
		for _, m := range msgs {
			if m.Status != store.OutboxSent || m.TextBody != "" || m.SentAt == nil {
				t.Fatalf("sent message not recorded or body kept: %+v", m)
			}
		}
		if len(mp.Messages()) != 3 {
			t.Fatal("extra deliveries")
		}
		if !strings.Contains(caught[0].HTML, "Atrium") || !strings.Contains(caught[0].Text, "réglages") {
			t.Errorf("bodies: %q", caught[0].Text)
		}
	})
}

// A message claimed by a worker that stopped mid-delivery is not sent again
// by itself: once its claim is older than the lease it becomes failed, for an
// admin to send again. A younger claim may be another live server process's,
// still sending: it is left alone.
func TestInterruptedMessageIsNotResentAlone(t *testing.T) {
	st := storetest.SQLite(t)
	ctx := context.Background()
	now := time.Now().UTC()
	queue(t, st, 1, now)
	if err := st.Tx(ctx, func(ctx context.Context) error { _, err := st.ClaimOutbox(ctx, now, 10); return err }); err != nil {
		t.Fatal(err)
	}
	clock := now.Add(time.Minute)
	w := mail.NewWorker(mail.WorkerConfig{Store: st, Settings: func(context.Context) (mail.Settings, error) { return mail.Settings{}, nil }, Log: quiet(),
		Now: func() time.Time { return clock }})
	if _, err := w.Round(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := st.CountOutbox(ctx, store.OutboxSending); n != 1 {
		t.Fatalf("a claim a minute old was taken from its worker: %d still sending", n)
	}
	clock = now.Add(mail.ClaimLease + time.Second)
	if _, err := w.Round(ctx); err != nil {
		t.Fatal(err)
	}
	var m store.OutboxMessage
	if err := st.DB(ctx).First(&m).Error; err != nil {
		t.Fatal(err)
	}
	if m.Status != store.OutboxFailed || m.LastReason != mail.ReasonInterrupted {
		t.Fatalf("interrupted message: %s, reason %q", m.Status, m.LastReason)
	}
}

// Run starts with the worker's defaults, as the desktop and the server
// build it (no poll interval given), and stops with its context.
func TestRunWithDefaultsStopsWithItsContext(t *testing.T) {
	st := storetest.SQLite(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	w := mail.NewWorker(mail.WorkerConfig{Store: st, Settings: func(context.Context) (mail.Settings, error) { return mail.Settings{}, nil }, Log: quiet()})
	go func() { w.Run(ctx); close(done) }()
	time.Sleep(50 * time.Millisecond)
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop")
	}
}

func TestBackoffIsBounded(t *testing.T) {
	w := mail.NewWorker(mail.WorkerConfig{Base: time.Second, Max: time.Minute})
	for i, want := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second} {
		if got := w.Backoff(i + 1); got != want {
			t.Errorf("attempt %d: %v, want %v", i+1, got, want)
		}
	}
	if w.Backoff(40) != time.Minute {
		t.Error("backoff not capped")
	}
}

func TestTemplatesBothLanguages(t *testing.T) {
	for _, lang := range []string{"fr", "en"} {
		for _, kind := range []string{mail.KindInvitation, mail.KindPasswordReset, mail.KindEmailChange, mail.KindEmailChanged,
			mail.KindEmailInUse, mail.KindDeleteAccount, mail.KindDeleteOrg, mail.KindSecurityAlert, mail.KindTest} {
			s, txt, html, err := mail.Render(kind, lang, mail.Data{Name: "Léa", Org: "<Cabinet & Co>", Inviter: "Anne", Link: "http://x/a?b=1", Code: "ABCDE-FGHIJ", Expires: "1 h", Alert: "password_changed"})
			if err != nil || s == "" || txt == "" || html == "" {
				t.Fatalf("%s/%s: %v", lang, kind, err)
			}
			if strings.Contains(html, "<Cabinet") {
				t.Errorf("%s/%s: HTML not escaped", lang, kind)
			}
		}
	}
}
