// Command probe attacks a running atrium-server from outside, over HTTP only,
// the way an outside tester would, and prints what held: secrets shown in
// another organization's outbox, rights a delegated editor could give
// themself, whether the owner still gets in while others guess their
// password, and whether an answer or its timing tells which addresses have an
// account. It starts the server binary itself on a fresh database.
//
//	go build -o build/bin/atrium-server ./cmd/atrium-server
//	go run ./bench/probe --server build/bin/atrium-server [--db postgres://…] [--lockout 60s]
//
// Source addresses are spread over 127.0.0.0/8 (every one of them is this
// machine), so the server sees many clients; nothing leaves the loopback.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

const password = "Un mot de passe solide 2026"

func main() {
	server := flag.String("server", "build/bin/atrium-server", "atrium-server binary")
	db := flag.String("db", "", "database (default: a SQLite file in a temporary folder)")
	lockout := flag.Duration("lockout", 60*time.Second, "how long the password-guessing crowd runs")
	flag.Parse()
	dir, err := os.MkdirTemp("", "atrium-probe-")
	check(err)
	defer os.RemoveAll(dir)
	if *db == "" {
		*db = filepath.Join(dir, "probe.db")
	}
	port := freePort()
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	cmd := exec.Command(*server, "--addr", fmt.Sprintf("127.0.0.1:%d", port), "--db", *db, "--public-url", base)
	cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
	check(cmd.Start())
	serverProcess = cmd.Process
	defer cmd.Process.Kill()
	waitUp(base)

	p := &probe{base: base}
	p.people()
	p.outbox()
	p.escalation()
	p.enumeration()
	p.lockout(*lockout)
}

// --- a client: one source address, its own cookies ----------------------------

type client struct {
	base string
	hc   *http.Client
}

func newClient(base, source string) *client {
	jar, _ := cookiejar.New(nil)
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(source)}, Timeout: 5 * time.Second}
	tr := &http.Transport{DialContext: d.DialContext, MaxIdleConnsPerHost: 2}
	c := &client{base: base, hc: &http.Client{Jar: jar, Transport: tr, Timeout: 30 * time.Second}}
	resp, err := c.hc.Get(base + "/api/health")
	check(err)
	resp.Body.Close()
	return c
}

// apiError is the server's error answer.
type apiError struct {
	Code       string            `json:"code"`
	Fields     map[string]string `json:"fields"`
	RetryAfter int               `json:"retryAfter"`
}

// call runs one operation; it answers the error code ("" on success) and
// decodes the output into out.
func (c *client) call(op string, in, out any) (string, map[string]string) {
	body, _ := json.Marshal(in)
	req, _ := http.NewRequest(http.MethodPost, c.base+"/api/ops/"+op, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", c.base)
	u, _ := url.Parse(c.base)
	for _, ck := range c.hc.Jar.Cookies(u) {
		if strings.Contains(strings.ToLower(ck.Name), "csrf") {
			req.Header.Set("X-CSRF-Token", ck.Value)
		}
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return "transport: " + err.Error(), nil
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		var e apiError
		json.Unmarshal(raw, &e)
		if e.Code == "" {
			e.Code = resp.Status
		}
		return e.Code, e.Fields
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return "undecodable: " + err.Error(), nil
		}
	}
	return "", nil
}

func (c *client) must(op string, in, out any) {
	if code, fields := c.call(op, in, out); code != "" {
		fail("%s failed: %s %v", op, code, fields)
	}
}

// --- the cast -----------------------------------------------------------------

type probe struct {
	base                  string
	alice, bob, carol     *client // Alice: admin of A, member of B. Bob: admin of B. Carol: A's delegated rights editor.
	orgA, orgB            string
	aliceInB, carolMember string
}

type session struct {
	Account      struct{ ID, Email string }
	Organization struct{ ID string }
	Rights       []string
}

type outboxList struct {
	Items []struct {
		ID, To, Kind, Subject, Text, Link, Code, Status string
	}
}

type memberPage struct {
	Items []struct {
		ID, AccountID, Email string
	}
}

func (p *probe) people() {
	p.alice = newClient(p.base, "127.0.0.2")
	var s session
	p.alice.must("setup.createWorkspace", map[string]any{"firstName": "Alice", "lastName": "Martin",
		"email": "alice@example.fr", "password": password, "organizationName": "Boulangerie Martin",
		"timezone": "Europe/Paris", "language": "fr"}, &s)
	p.orgA = s.Organization.ID

	// Bob is invited into A, then makes B his own and invites Alice into it.
	p.bob = newClient(p.base, "127.0.0.3")
	p.bob.must("invitations.accept", p.invite(p.alice, "bob@example.fr", nil, true), nil)
	var org struct{ ID string }
	p.bob.must("orgs.create", map[string]any{"name": "Cabinet Durand", "website": "", "timezone": "Europe/Paris"}, &org)
	p.orgB = org.ID
	p.bob.must("orgs.switch", map[string]any{"orgId": p.orgB}, nil)
	p.alice.must("invitations.join", p.invite(p.bob, "alice@example.fr", nil, false), nil)
	p.alice.must("orgs.switch", map[string]any{"orgId": p.orgA}, nil)
	p.aliceInB = p.memberID(p.bob, "alice@example.fr")

	// Carol holds members.view and rights.edit in A, nothing else.
	p.carol = newClient(p.base, "127.0.0.4")
	p.carol.must("invitations.accept", p.invite(p.alice, "carol@example.fr", []string{"members.view", "rights.edit"}, true), nil)
	p.carolMember = p.memberID(p.alice, "carol@example.fr")
}

// invite has by's current organization invite email, and answers the input
// that accepts it (a new account) or joins it (an existing one), read from
// the inviter's outbox as an admin without mail would.
func (p *probe) invite(by *client, email string, rights []string, newAccount bool) map[string]any {
	if rights == nil {
		rights = []string{}
	}
	by.must("invitations.create", map[string]any{"email": email, "firstName": strings.Split(email, "@")[0],
		"lastName": "Test", "jobTitle": "", "employeeRef": "", "roleIds": []string{}, "rights": rights, "language": "fr"}, nil)
	var box outboxList
	by.must("outbox.list", map[string]any{}, &box)
	for _, m := range box.Items {
		if m.To == email && m.Kind == "invitation" {
			in := map[string]any{"token": tokenOf(m.Link), "code": m.Code}
			if newAccount {
				in["title"], in["firstName"], in["lastName"], in["mobilePhone"], in["password"] = "", "Test", "Test", "", password
			}
			return in
		}
	}
	fail("the invitation is not in the inviter's outbox")
	return nil
}

func (p *probe) memberID(by *client, email string) string {
	var page memberPage
	by.must("members.list", map[string]any{"query": email}, &page)
	for _, m := range page.Items {
		if m.Email == email {
			return m.ID
		}
	}
	fail("no member %s", email)
	return ""
}

func tokenOf(link string) string {
	if i := strings.Index(link, "token="); i >= 0 {
		return link[i+len("token="):]
	}
	return ""
}

// --- 1. secrets in another organization's outbox ---------------------------------

func (p *probe) outbox() {
	fmt.Println("== Secrets meant for Alice, seen by Bob (admin of B, where Alice is a member)")
	stranger := newClient(p.base, "127.0.0.5")
	p.bob.must("members.sendPasswordReset", map[string]any{"memberId": p.aliceInB}, nil)
	shown, usable := p.takeOver(stranger)
	fmt.Printf("reset sent by Bob: link or code shown to Bob: %d; used to reset her password: %d\n", shown, usable)
	stranger.call("auth.forgotPassword", map[string]any{"email": "alice@example.fr"}, nil)
	shown, usable = p.takeOver(stranger)
	fmt.Printf("anonymous forgotten-password request: shown to Bob: %d; used: %d\n", shown, usable)
	var mine outboxList
	p.alice.must("outbox.list", map[string]any{}, &mine)
	selfService := 0
	for _, m := range mine.Items {
		if m.To == "alice@example.fr" && m.Kind != "invitation" && (m.Link != "" || m.Code != "") {
			selfService++
		}
	}
	fmt.Printf("Alice's own reset codes shown in A's outbox (self-service never lands there): %d\n", selfService)
}

// takeOver reads B's outbox as Bob and tries every secret meant for Alice
// that it shows; it answers how many were shown and how many worked.
func (p *probe) takeOver(c *client) (shown, usable int) {
	var box outboxList
	p.bob.must("outbox.list", map[string]any{}, &box)
	for _, m := range box.Items {
		if m.To != "alice@example.fr" || m.Kind == "invitation" || m.Status == "used" {
			continue
		}
		if m.Link == "" && m.Code == "" && !strings.Contains(m.Text, "token=") {
			continue
		}
		shown++
		in := map[string]any{"token": tokenOf(m.Link), "email": "alice@example.fr", "code": m.Code, "password": "Bob a pris ce compte 2026"}
		if code, _ := c.call("auth.resetPassword", in, nil); code == "" {
			usable++
		}
	}
	return shown, usable
}

// --- 2. a delegated rights editor gives themself more ------------------------------

func (p *probe) escalation() {
	fmt.Println("== Carol (members.view + rights.edit in A) tries to give herself more")
	var catalog struct {
		Groups []struct{ Rights []struct{ Name string } }
		Rights []struct{ Name string }
	}
	p.carol.call("rights.catalog", map[string]any{}, &catalog)
	var names []string
	for _, g := range catalog.Groups {
		for _, r := range g.Rights {
			names = append(names, r.Name)
		}
	}
	for _, r := range catalog.Rights {
		names = append(names, r.Name)
	}
	if len(names) == 0 {
		names = []string{"org.delete", "org.edit", "audit.view", "members.invite", "members.edit", "members.disable"}
	}
	held := map[string]bool{"members.view": true, "rights.edit": true}
	tries, granted := 0, 0
	for _, r := range names {
		if held[r] {
			continue
		}
		tries++
		if code, _ := p.carol.call("members.setRight", map[string]any{"memberId": p.carolMember, "right": r, "granted": true}, nil); code == "" {
			granted++
		}
	}
	fmt.Printf("direct rights on herself: %d of %d granted\n", granted, tries)
	var role struct{ ID string }
	roleCode, _ := p.carol.call("roles.create", map[string]any{"name": "Tout", "rights": []string{"org.delete", "audit.view", "org.edit"}}, &role)
	fmt.Printf("a role holding rights she lacks: create %s", answer(roleCode))
	if roleCode == "" {
		setCode, _ := p.carol.call("members.setRoles", map[string]any{"memberId": p.carolMember, "roleIds": []string{role.ID}}, nil)
		fmt.Printf(", give it to herself %s", answer(setCode))
	}
	fmt.Println()
	bobInA := p.memberID(p.alice, "bob@example.fr")
	code, _ := p.carol.call("members.setRight", map[string]any{"memberId": bobInA, "right": "org.delete", "granted": true}, nil)
	fmt.Printf("org.delete given to another member: %s\n", answer(code))
	var s session
	p.carol.must("session.current", map[string]any{}, &s)
	sort.Strings(s.Rights)
	fmt.Printf("Carol's rights afterwards: %s\n", strings.Join(s.Rights, ", "))
}

func answer(code string) string {
	if code == "" {
		return "ACCEPTED"
	}
	return "refused (" + code + ")"
}

// --- 6. does an answer, or its time, tell whether an address has an account? ------

func (p *probe) enumeration() {
	fmt.Println("== Telling which addresses have an account")
	taken, _ := p.bob.call("account.requestEmailChange", map[string]any{"newEmail": "alice@example.fr", "password": password}, nil)
	free, _ := p.bob.call("account.requestEmailChange", map[string]any{"newEmail": "personne@example.fr", "password": password}, nil)
	fmt.Printf("email change to a taken address: %q, to a free one: %q\n", taken, free)
	flood := 0
	for i := 0; i < 20; i++ {
		if code, _ := p.bob.call("account.requestEmailChange", map[string]any{"newEmail": fmt.Sprintf("cible%d@example.fr", i), "password": password}, nil); code == "" {
			flood++
		}
	}
	fmt.Printf("email-change mails sent to 20 other addresses in a row: %d\n", flood)
	in := p.invite(p.alice, "dora@example.fr", nil, false)
	raw := map[string]any{}
	anon := newClient(p.base, "127.0.0.6")
	anon.call("invitations.lookup", in, &raw)
	_, leaks := raw["hasAccount"]
	fmt.Printf("invitations.lookup tells whether the address has an account: %v\n", leaks)

	// Interleaved, each request from its own address so that only the
	// per-address rules can slow them.
	var known, unknown []time.Duration
	codes := map[string]int{}
	for i := 0; i < 60; i++ {
		for _, email := range []string{"alice@example.fr", "nobody@example.fr"} {
			c := newClient(p.base, fmt.Sprintf("127.0.%d.%d", 10+i/200, 10+i%200))
			start := time.Now()
			code, _ := c.call("auth.forgotPassword", map[string]any{"email": email}, nil)
			d := time.Since(start)
			codes[email+" "+answer(code)]++
			if code == "" {
				if email == "alice@example.fr" {
					known = append(known, d)
				} else {
					unknown = append(unknown, d)
				}
			}
		}
	}
	fmt.Printf("forgotPassword answers: %v\n", codes)
	fmt.Printf("forgotPassword median time, existing address: %v, unknown: %v\n", median(known), median(unknown))
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[len(ds)/2].Round(10 * time.Microsecond)
}

// --- 3. a crowd guessing the owner's password; the owner signs in -----------------

func (p *probe) lockout(d time.Duration) {
	fmt.Printf("== 30 sources guess Alice's password for %v; Alice signs in every 5 s from a clean address\n", d)
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	done := make(chan int)
	for i := 0; i < 30; i++ {
		go func(i int) {
			c := newClient(p.base, fmt.Sprintf("127.0.2.%d", 10+i))
			n := 0
			for ctx.Err() == nil {
				c.call("auth.signIn", map[string]any{"email": "alice@example.fr", "password": fmt.Sprintf("devine %d-%d", i, n)}, nil)
				n++
				select {
				case <-ctx.Done():
				case <-time.After(time.Second):
				}
			}
			done <- n
		}(i)
	}
	ok, tries := 0, 0
	tick := time.NewTicker(5 * time.Second)
	for loop := true; loop; {
		select {
		case <-ctx.Done():
			loop = false
		case <-tick.C:
			tries++
			c := newClient(p.base, fmt.Sprintf("127.0.3.%d", 10+tries))
			if code, _ := c.call("auth.signIn", map[string]any{"email": "alice@example.fr", "password": password}, nil); code == "" {
				ok++
			}
		}
	}
	guesses := 0
	for i := 0; i < 30; i++ {
		guesses += <-done
	}
	fmt.Printf("attackers' requests: %d; Alice's correct sign-ins accepted: %d of %d\n", guesses, ok, tries)

	fmt.Println("== One source resets its own counter with its own valid sign-in between guesses on 100 addresses")
	c := newClient(p.base, "127.0.4.10")
	checked, limited := 0, 0
	for i := 0; i < 100; i++ {
		c.call("auth.signIn", map[string]any{"email": "bob@example.fr", "password": password}, nil)
		code, _ := c.call("auth.signIn", map[string]any{"email": fmt.Sprintf("cible%d@example.fr", i), "password": "essai"}, nil)
		switch code {
		case "invalid_credentials":
			checked++
		case "rate_limited":
			limited++
		}
	}
	fmt.Printf("guesses checked: %d of 100 (refused as rate_limited: %d)\n", checked, limited)
}

// --- plumbing -------------------------------------------------------------------

func freePort() int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func waitUp(base string) {
	for i := 0; i < 200; i++ {
		if resp, err := http.Get(base + "/api/health"); err == nil {
			resp.Body.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	fail("the server did not start")
}

// serverProcess is stopped by fail, so no server outlives the probe.
var serverProcess *os.Process

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "probe: "+format+"\n", args...)
	if serverProcess != nil {
		serverProcess.Kill()
	}
	os.Exit(1)
}

func check(err error) {
	if err != nil {
		fail("%v", err)
	}
}
