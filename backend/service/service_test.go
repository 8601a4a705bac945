package service

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"atrium/backend/audit"
	"atrium/backend/auth"
	"atrium/backend/domain"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

var fastHash = auth.Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}

type env struct {
	t     *testing.T
	st    *store.Store
	reg   *Registry
	rec   *audit.Recorder
	clock *envClock
}

func newEnv(t *testing.T, st *store.Store) *env {
	clock := &envClock{}
	sys := start(t, Deps{Store: st, Password: fastHash, Version: "test", Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		CommonPasswords: testCommonPasswords, Mail: MailDeps{ConsoleSettings: true}, Clock: clock.Now, AppAddresses: everyAppAddress, // as on the desktop
		Desktop: &DesktopDeps{Dialogs: noDialogs{}, Connection: describeOnly{}}})
	return &env{t: t, st: st, reg: sys.Registry, rec: sys.History, clock: clock}
}

// everyAppAddress gives every application of the catalog an address, as an
// operator who offers them all does.
var everyAppAddress = func() map[string]string {
	m := map[string]string{}
	for _, a := range domain.Applications {
		m[a.Key] = "https://" + a.Key + ".example.fr/"
	}
	return m
}()

// noDialogs answers every file dialog as if the person cancelled it.
type noDialogs struct{}

func (noDialogs) SavePath(context.Context, string, string) (string, error) { return "", nil }
func (noDialogs) OpenPath(context.Context, string) (string, error)         { return "", nil }

// start brings the services up on st as the programs do.
func start(t testing.TB, d Deps) *System {
	t.Helper()
	sys, err := Start(context.Background(), Config{Deps: d})
	if err != nil {
		t.Fatal(err)
	}
	return sys
}

// envClock is an env's clock: the system's, until a test sets another.
type envClock struct {
	f atomic.Pointer[func() time.Time]
}

func (c *envClock) Now() time.Time {
	if f := c.f.Load(); f != nil {
		return (*f)()
	}
	return time.Now()
}

// set makes the services read f; nil gives them the system's time again.
func (c *envClock) set(f func() time.Time) {
	if f == nil {
		c.f.Store(nil)
		return
	}
	c.f.Store(&f)
}

// testCommonPasswords is the list the console's build produced
// (`npm run build` in frontend/, which make test runs first).
var testCommonPasswords = auth.NewCommonPasswords(os.DirFS("../../frontend/dist"))

var desktop = domain.Device{Kind: domain.SessionDesktop, Name: "Atrium Desktop · poste-1", Platform: "linux"}

// call invokes an operation as a door would, with a JSON input.
func (e *env) call(op, token, input string) (Result, error) {
	e.t.Helper()
	return e.reg.Invoke(context.Background(), Call{Op: op, Input: []byte(input), Token: token, Device: desktop})
}

func (e *env) mustCall(op, token, input string) Result {
	e.t.Helper()
	res, err := e.call(op, token, input)
	if err != nil {
		e.t.Fatalf("%s: %v", op, err)
	}
	return res
}

const workspace = `{"firstName":"Anne","lastName":"Martin","email":"Anne.Martin@Example.fr","password":"un mot de passe solide","organizationName":"Cabinet Martin","timezone":"Europe/Paris","language":"fr"}`

func (e *env) setup() string {
	e.t.Helper()
	return e.mustCall("setup.createWorkspace", "", workspace).Token
}

func fieldsOf(t *testing.T, err error) map[string]string {
	t.Helper()
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != domain.CodeValidation {
		t.Fatalf("want a validation error, got %v", err)
	}
	return de.Fields
}

func count(t *testing.T, st *store.Store, table string) int64 {
	t.Helper()
	var n int64
	if err := st.DB(context.Background()).Table(table).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestFirstRun(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		if out := e.mustCall("setup.status", "", "").Output.(SetupStatus); !out.NeedsSetup {
			t.Fatal("empty database should need setup")
		}
		_, err := e.call("setup.createWorkspace", "", `{"firstName":"","lastName":"Martin","email":"nope","password":"court","organizationName":"","timezone":"Mars/Base","language":"de"}`)
		want := map[string]string{"firstName": "required", "email": "invalid_email", "password": "password_too_short",
			"organizationName": "required", "timezone": "invalid_timezone", "language": "invalid_choice"}
		got := fieldsOf(t, err)
		for f, code := range want {
			if got[f] != code {
				t.Errorf("field %s: got %q, want %q", f, got[f], code)
			}
		}
		for _, table := range []string{"accounts", "organizations", "roles", "memberships", "sessions", "audit_events", "change_log"} {
			if n := count(t, st, table); n != 0 {
				t.Errorf("refused setup wrote %d rows into %s", n, table)
			}
		}

		res := e.mustCall("setup.createWorkspace", "", workspace)
		info := res.Output.(SessionInfo)
		if res.Token == "" || !info.IsAdmin || info.Account.Email != "anne.martin@example.fr" || info.Organization.Name != "Cabinet Martin" {
			t.Fatalf("unexpected setup result %+v (token %q)", info, res.Token)
		}
		if len(info.Rights) != len(domain.AllRights()) {
			t.Errorf("admin has %d rights, want all %d", len(info.Rights), len(domain.AllRights()))
		}
		cur := e.mustCall("session.current", res.Token, "").Output.(SessionInfo)
		if cur.Account.ID != info.Account.ID || cur.Organization.Timezone != "Europe/Paris" {
			t.Fatalf("session.current = %+v", cur)
		}
		if _, err := e.call("setup.createWorkspace", "", workspace); domain.CodeOf(err) != domain.CodeSetupDone {
			t.Fatalf("second setup: %v", err)
		}
		if e.mustCall("setup.status", "", "").Output.(SetupStatus).NeedsSetup {
			t.Fatal("setup still needed after the workspace exists")
		}
		var sess domain.Session
		st.DB(context.Background()).Take(&sess)
		if sess.Kind != domain.SessionDesktop || sess.DeviceName != desktop.Name || sess.Platform != "linux" || sess.TokenHash == res.Token {
			t.Errorf("session row %+v", sess)
		}
		if n := count(t, st, "change_log"); n < 3 {
			t.Errorf("change log has %d entries after setup", n)
		}
	})
}

func TestSignInAndOut(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		e.setup()
		_, errEmail := e.call("auth.signIn", "", `{"email":"nobody@example.fr","password":"un mot de passe solide"}`)
		_, errPass := e.call("auth.signIn", "", `{"email":"anne.martin@example.fr","password":"pas le bon mot de passe"}`)
		if errEmail == nil || errPass == nil || errEmail.Error() != errPass.Error() || domain.CodeOf(errPass) != domain.CodeInvalidCredentials {
			t.Fatalf("wrong email and wrong password must answer alike: %v / %v", errEmail, errPass)
		}
		res := e.mustCall("auth.signIn", "", `{"email":" ANNE.martin@example.fr","password":"un mot de passe solide"}`)
		if res.Token == "" {
			t.Fatal("no token issued")
		}
		e.mustCall("session.current", res.Token, "")
		out := e.mustCall("auth.signOut", res.Token, "")
		if !out.EndsSession {
			t.Error("sign-out should tell the door to forget the session")
		}
		if _, err := e.call("session.current", res.Token, ""); domain.CodeOf(err) != domain.CodeUnauthenticated {
			t.Fatalf("signed-out token still works: %v", err)
		}
		var actions []string
		st.DB(context.Background()).Table("audit_events").Order("seq").Pluck("action", &actions)
		want := []string{audit.WorkspaceCreated, audit.SignInSucceeded, audit.SignInFailed, audit.SignInFailed, audit.SignInSucceeded, audit.SignOut}
		if len(actions) != len(want) {
			t.Fatalf("history %v, want %v", actions, want)
		}
		for i := range want {
			if actions[i] != want[i] {
				t.Fatalf("history %v, want %v", actions, want)
			}
		}
	})
}

func TestProfile(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		tok := e.setup()
		_, err := e.call("account.updateProfile", tok, `{"firstName":"Annie","mobilePhone":"06 12"}`)
		if f := fieldsOf(t, err); f["mobilePhone"] != "invalid_phone" {
			t.Fatalf("fields %v", f)
		}
		acc := e.mustCall("session.current", tok, "").Output.(SessionInfo).Account
		if acc.FirstName != "Anne" || acc.MobilePhone != "" {
			t.Fatalf("a refused update changed the account: %+v", acc)
		}
		acc = e.mustCall("account.updateProfile", tok, `{"mobilePhone":"06.12.34.56.78"}`).Output.(Account)
		if acc.MobilePhone != "+33612345678" || acc.MobilePhoneNational != "06 12 34 56 78" || acc.FirstName != "Anne" {
			t.Fatalf("phone not normalised or other fields touched: %+v", acc)
		}
		acc = e.mustCall("account.updateProfile", tok, `{"title":"mme","firstName":" Anne-Sophie ","lastName":"Martin","jobTitle":"Gérante"}`).Output.(Account)
		if acc.Title != "mme" || acc.FirstName != "Anne-Sophie" || acc.JobTitle != "Gérante" || acc.MobilePhone != "+33612345678" {
			t.Fatalf("identity section: %+v", acc)
		}
		if _, err := e.call("account.updateProfile", tok, `{"title":"dr","lastName":""}`); fieldsOf(t, err)["title"] != "invalid_choice" {
			t.Fatal("unknown title accepted")
		}
		if _, err := e.call("account.updateProfile", tok, `{"nickname":"x"}`); domain.CodeOf(err) != domain.CodeValidation {
			t.Fatalf("unknown field accepted: %v", err)
		}
		if _, err := e.call("account.setLanguage", tok, `{"language":"de"}`); fieldsOf(t, err)["language"] != "invalid_choice" {
			t.Fatal("unknown language accepted")
		}
		if acc := e.mustCall("account.setLanguage", tok, `{"language":"en"}`).Output.(Account); acc.Language != "en" {
			t.Fatalf("language %q", acc.Language)
		}
		var actions []string
		st.DB(context.Background()).Table("audit_events").Where("action IN ?", []string{audit.ProfileChanged, audit.LanguageChanged}).Order("seq").Pluck("action", &actions)
		if len(actions) != 3 {
			t.Fatalf("history of profile changes: %v", actions)
		}
		// Saving unchanged values writes nothing.
		before := count(t, st, "audit_events")
		e.mustCall("account.updateProfile", tok, `{"jobTitle":"Gérante"}`)
		if count(t, st, "audit_events") != before {
			t.Error("an update that changes nothing was recorded")
		}
	})
}

func TestRegistryDoors(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	if _, err := e.call("no.such", "", ""); domain.CodeOf(err) != domain.CodeNotFound {
		t.Fatalf("unknown op: %v", err)
	}
	for _, op := range e.reg.Operations() {
		if op.Access == Public {
			continue
		}
		if _, err := e.call(op.Name, "", "{}"); domain.CodeOf(err) != domain.CodeUnauthenticated {
			t.Errorf("%s without a session: %v", op.Name, err)
		}
		if _, err := e.call(op.Name, "forged-token", "{}"); domain.CodeOf(err) != domain.CodeUnauthenticated {
			t.Errorf("%s with a forged token: %v", op.Name, err)
		}
	}
	add(e.reg, Operation{Name: "test.panic", Access: Public}, func(context.Context, domain.Actor, Empty) (Empty, error) {
		var m map[string]int
		m["boom"]++
		return Empty{}, nil
	})
	_, err := e.call("test.panic", "", "")
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != domain.CodeInternal || de.Message != "internal error" {
		t.Fatalf("a panic must become a generic internal error, got %#v", err)
	}
	if _, err := e.call("setup.status", "", "{not json"); domain.CodeOf(err) != domain.CodeValidation {
		t.Fatalf("malformed input: %v", err)
	}
}

func TestAuditChainDetectsTampering(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		tok := e.setup()
		for _, lang := range []string{"en", "fr", "en"} {
			e.mustCall("account.setLanguage", tok, `{"language":"`+lang+`"}`)
		}
		ctx := context.Background()
		rep, err := e.rec.Verify(ctx)
		if err != nil || !rep.OK || rep.Checked != 5 {
			t.Fatalf("fresh chain: %+v %v", rep, err)
		}
		storetest.DropHistoryGuards(t, st) // as someone with the database file can
		columns := map[string]string{"action": "'signout'", "details": "'{}'", "actor_id": "NULL", "device": "'autre'", "subject_id": "'x'", "at": "?"}
		for col, val := range columns {
			t.Run(col, func(t *testing.T) {
				db := st.DB(ctx)
				var orig audit.Event
				db.Where("seq = 3").Take(&orig)
				args := []any{}
				if val == "?" {
					args = append(args, orig.At.Add(-1e9))
				}
				if err := db.Exec("UPDATE audit_events SET "+col+" = "+val+" WHERE seq = 3", args...).Error; err != nil {
					t.Fatal(err)
				}
				rep, _ := e.rec.Verify(ctx)
				if rep.OK || rep.BrokenSeq != 3 || rep.Problem != audit.ProblemAltered {
					t.Errorf("editing %s not detected: %+v", col, rep)
				}
				db.Save(&orig)
				if rep, _ := e.rec.Verify(ctx); !rep.OK {
					t.Fatalf("restoring the row should restore the chain: %+v", rep)
				}
			})
		}
		db := st.DB(ctx)
		db.Exec("DELETE FROM audit_events WHERE seq = 2")
		if rep, _ := e.rec.Verify(ctx); rep.OK || rep.BrokenSeq != 3 || rep.Problem != audit.ProblemMissing {
			t.Errorf("deleted middle entry: %+v", rep)
		}
		db.Exec("DELETE FROM audit_events WHERE seq >= 2")
		if rep, _ := e.rec.Verify(ctx); rep.OK || rep.Problem != audit.ProblemTailCut {
			t.Errorf("cut tail: %+v", rep)
		}
	})
}
