package service

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"atrium/backend/audit"
	"atrium/backend/mail"
	"atrium/backend/mail/mailtest"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

// mailEnv is a service environment whose mail goes to a real SMTP server
// (mailpit), delivered by the real outbox worker.
type mailEnv struct {
	*env
	svc *Services
	mp  *mailtest.Mailpit
	w   *mail.Worker
}

const consoleURL = "http://console.test"

// mailEnvKey keys the history of every mail environment: a test may open a
// second one (with SMTP) on the same database, and both record.
var mailEnvKey = audit.NewKey()

func newMailEnv(t *testing.T, st *store.Store, smtp bool) *mailEnv {
	t.Helper()
	me := &mailEnv{}
	d := MailDeps{PublicURL: consoleURL, ConsoleSettings: true}
	if smtp {
		me.mp = mailtest.Start(t)
		set := me.mp.Settings()
		d.Env = &set
	}
	clock := &envClock{}
	sys := start(t, Deps{Store: st, Audit: audit.New(st, audit.WithKey(mailEnvKey), audit.WithClock(clock.Now)), Password: fastHash, Version: "test", Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		CommonPasswords: testCommonPasswords, Mail: d, Clock: clock.Now})
	me.env = &env{t: t, st: st, reg: sys.Registry, rec: sys.History, clock: clock}
	me.svc = sys.Services
	me.w = sys.Worker
	return me
}

// deliver runs the outbox worker once and returns every message caught so far.
func (me *mailEnv) deliver(want int) []mailtest.Message {
	me.t.Helper()
	if _, err := me.w.Round(context.Background()); err != nil {
		me.t.Fatal(err)
	}
	msgs := me.mp.Wait(want, 5*time.Second)
	if len(msgs) != want {
		me.t.Fatalf("%d messages caught, want %d", len(msgs), want)
	}
	return msgs
}

// lastTo delivers the outbox and returns the last message to addr whose
// subject contains part.
func (me *mailEnv) lastTo(addr, part string) mailtest.Message {
	me.t.Helper()
	if _, err := me.w.Round(context.Background()); err != nil {
		me.t.Fatal(err)
	}
	end := time.Now().Add(5 * time.Second)
	for time.Now().Before(end) {
		msgs := me.mp.To(addr)
		for i := len(msgs) - 1; i >= 0; i-- {
			if strings.Contains(msgs[i].Subject, part) {
				return msgs[i]
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	me.t.Fatalf("no message to %s about %q", addr, part)
	return mailtest.Message{}
}

func tokenOf(t *testing.T, link string) string {
	t.Helper()
	_, tok, ok := strings.Cut(link, "?token=")
	if !ok || tok == "" {
		t.Fatalf("no token in link %q", link)
	}
	return tok
}

func TestMailSettings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newMailEnv(t, st, false)
		admin := e.setup()
		set := e.mustCall("mail.settings", admin, `{}`).Output.(MailSettings)
		if set.Configured || set.ManagedByServer {
			t.Fatalf("fresh settings: %+v", set)
		}
		_, err := e.call("mail.saveSettings", admin, `{"host":"smtp.example.fr","port":0,"security":"ssl","sender":"pas une adresse"}`)
		f := fieldsOf(t, err)
		if f["port"] != "invalid_port" || f["security"] != "invalid_choice" || f["sender"] != "invalid_email" {
			t.Fatalf("fields %v", f)
		}
		out := e.mustCall("mail.saveSettings", admin, `{"host":"smtp.example.fr","port":465,"security":"tls","username":"u","password":"secret","sender":"Atrium <atrium@example.fr>"}`).Output.(MailSettings)
		if !out.Configured || !out.PasswordSet || out.Port != 465 {
			t.Fatalf("saved: %+v", out)
		}
		// A password to another machine without encryption is refused and
		// changes nothing; to this machine (a local relay) it is allowed.
		_, err = e.call("mail.saveSettings", admin, `{"host":"smtp.example.fr","port":25,"security":"none","username":"u","sender":"atrium@example.fr"}`)
		if f := fieldsOf(t, err); f["security"] != "password_in_clear" {
			t.Fatalf("password in clear: %v", f)
		}
		if row, _ := st.MailSettings(context.Background()); row.Security != "tls" || row.Port != 465 {
			t.Fatalf("refused settings were saved: %+v", row)
		}
		e.mustCall("mail.saveSettings", admin, `{"host":"localhost","port":25,"security":"none","username":"u","sender":"atrium@example.fr"}`)
		// A null password keeps the saved one.
		e.mustCall("mail.saveSettings", admin, `{"host":"smtp.example.fr","port":587,"security":"starttls","username":"u","sender":"atrium@example.fr"}`)
		row, _ := st.MailSettings(context.Background())
		if row.Password != "secret" || row.Port != 587 {
			t.Fatalf("row %+v", row)
		}

		// Settings from the server's flags cannot be changed from the console.
		srv := newMailEnv(t, st, true)
		got := srv.mustCall("mail.settings", admin, `{}`).Output.(MailSettings)
		if !got.ManagedByServer || got.Host != "127.0.0.1" {
			t.Fatalf("server settings %+v", got)
		}
		_, err = srv.call("mail.saveSettings", admin, `{"host":"x.example.fr","port":25,"security":"none","sender":"a@example.fr"}`)
		wantField(t, err, "host", "managed_by_server")

		// A server whose console may not change them (the default): the
		// saved settings stay in force, read-only, and nothing changes.
		locked := newMailEnv(t, st, false)
		locked.svc.Mail.Mail.ConsoleSettings = false
		got = locked.mustCall("mail.settings", admin, `{}`).Output.(MailSettings)
		if !got.ManagedByServer || got.Host != "smtp.example.fr" || !got.Configured {
			t.Fatalf("locked settings %+v", got)
		}
		before := snapshot(t, st)
		_, err = locked.call("mail.saveSettings", admin, `{"host":"evil.example.com","port":25,"security":"none","sender":"a@example.fr"}`)
		wantField(t, err, "host", "managed_by_server")
		if snapshot(t, st) != before {
			t.Fatal("a refused change wrote to the database")
		}
		if used, err := locked.svc.Mail.SMTP(context.Background()); err != nil || used.Host != "smtp.example.fr" {
			t.Fatalf("the worker would use %+v (%v)", used, err)
		}
	})
}

// Without SMTP, messages stay in the outbox screen with their link and code;
// with SMTP, the test message reaches the server once.
func TestOutboxLocalAndSent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newMailEnv(t, st, false)
		admin := e.setup()
		e.mustCall("invitations.create", admin, `{"email":"lea.roux@example.fr","firstName":"Léa"}`)
		list := e.mustCall("outbox.list", admin, `{}`).Output.(OutboxList)
		if list.Configured || len(list.Items) != 1 {
			t.Fatalf("outbox %+v", list)
		}
		m := list.Items[0]
		if m.Status != store.OutboxLocal || m.Code == "" || !strings.HasPrefix(m.Link, consoleURL+"/#/invitation?token=") || !strings.Contains(m.Text, m.Code) {
			t.Fatalf("local message %+v", m)
		}
		// The code from the outbox works.
		view := e.mustCall("invitations.lookup", "", `{"code":"`+strings.ToLower(m.Code)+`"}`).Output.(InvitationView)
		if view.Email != "lea.roux@example.fr" || view.Organization != "Cabinet Martin" {
			t.Fatalf("lookup %+v", view)
		}

		s := newMailEnv(t, st, true)
		s.mustCall("mail.sendTest", admin, `{}`)
		msgs := s.deliver(1)
		if msgs[0].To[0] != "anne.martin@example.fr" || msgs[0].Subject != "Message d'essai d'Atrium" {
			t.Fatalf("test message %+v", msgs[0])
		}
		s.deliver(1) // nothing more
		if n, _ := st.CountOutbox(context.Background(), store.OutboxSent); n != 1 {
			t.Fatalf("%d sent", n)
		}
		// The local invitation was not sent behind the admin's back.
		if n, _ := st.CountOutbox(context.Background(), store.OutboxLocal); n != 1 {
			t.Fatalf("%d local", n)
		}
	})
}

// Security alerts reach the account's address through the outbox, once.
func TestSecurityAlertsAreMailed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newMailEnv(t, st, true)
		admin := e.setup()
		e.mustCall("account.changePassword", admin, `{"currentPassword":"un mot de passe solide","newPassword":"un autre mot de passe très sûr"}`)
		msgs := e.deliver(1)
		if msgs[0].Subject != "Alerte de sécurité sur votre compte Atrium" || !strings.Contains(msgs[0].Text, "mot de passe de votre compte vient d'être changé") {
			t.Fatalf("alert %+v", msgs[0])
		}
		e.deliver(1)
		left, _ := st.UnsentSecurityAlerts(context.Background(), 10)
		if len(left) != 0 {
			t.Fatalf("%d alerts left", len(left))
		}
	})
}
