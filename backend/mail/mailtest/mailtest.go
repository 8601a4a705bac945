// Package mailtest starts a real SMTP server for tests: mailpit
// (github.com/axllent/mailpit), on free 127.0.0.1 ports, read through its
// HTTP API. Install it with
//
//	GOBIN=$PWD/.bin go install github.com/axllent/mailpit@v1.33.1
//
// Tests that need it skip when the binary is missing, except in CI (CI=true)
// where they fail.
package mailtest

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"atrium/backend/mail"
)

// Mailpit is a running mail catcher.
type Mailpit struct {
	t        testing.TB
	bin      string
	SMTPPort int
	httpPort int
	extra    []string
	dir      string // the test's own folder, for mailpit's database
	ups      int
	cmd      *exec.Cmd
}

// Binary finds mailpit: $MAILPIT, the repository's .bin/, or the PATH.
func Binary() string {
	if p := os.Getenv("MAILPIT"); p != "" {
		return p
	}
	if dir, err := os.Getwd(); err == nil {
		for d := dir; ; d = filepath.Dir(d) {
			if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
				p := filepath.Join(d, ".bin", "mailpit")
				if _, err := os.Stat(p); err == nil {
					return p
				}
				break
			}
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	p, _ := exec.LookPath("mailpit")
	return p
}

func freePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Start runs a new mailpit for the test and stops it at the end; extra are
// more of its flags (TLS, authentication).
func Start(t testing.TB, extra ...string) *Mailpit {
	t.Helper()
	bin := Binary()
	if bin == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("mailpit is required in CI: GOBIN=$PWD/.bin go install github.com/axllent/mailpit@v1.33.1")
		}
		t.Skip("mailpit not installed (GOBIN=$PWD/.bin go install github.com/axllent/mailpit@v1.33.1)")
	}
	m := &Mailpit{t: t, bin: bin, SMTPPort: freePort(t), httpPort: freePort(t), extra: extra, dir: t.TempDir()}
	m.Up()
	t.Cleanup(m.Down)
	return m
}

// Up starts the server (again) on the same ports.
func (m *Mailpit) Up() {
	m.t.Helper()
	if m.cmd != nil {
		return
	}
	// Without --database mailpit keeps its messages in a file of the system's
	// temp folder, which it removes only when it stops by itself: the test's
	// own folder goes with the test. A new file at each start, so a restarted
	// server has lost its messages as before.
	m.ups++
	db := filepath.Join(m.dir, fmt.Sprintf("mailpit-%d.db", m.ups))
	args := append([]string{"--smtp", fmt.Sprintf("127.0.0.1:%d", m.SMTPPort),
		"--listen", fmt.Sprintf("127.0.0.1:%d", m.httpPort), "--database", db, "--smtp-disable-rdns", "--quiet"}, m.extra...)
	m.cmd = exec.Command(m.bin, args...)
	m.cmd.Stdout, m.cmd.Stderr = os.Stderr, os.Stderr
	if err := m.cmd.Start(); err != nil {
		m.t.Fatal(err)
	}
	end := time.Now().Add(20 * time.Second)
	for time.Now().Before(end) {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", m.SMTPPort), time.Second)
		if err == nil {
			c.Close()
			if res, err := http.Get(m.api("/api/v1/messages")); err == nil {
				res.Body.Close()
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	m.t.Fatal("mailpit did not start")
}

// Down stops the server (its messages are lost).
func (m *Mailpit) Down() {
	if m.cmd == nil {
		return
	}
	_ = m.cmd.Process.Kill()
	_ = m.cmd.Wait()
	m.cmd = nil
}

// Settings are Atrium's SMTP settings for this server.
func (m *Mailpit) Settings() mail.Settings {
	return mail.Settings{Host: "127.0.0.1", Port: m.SMTPPort, Security: mail.SecurityNone, Sender: "Atrium <atrium@example.fr>"}
}

// URL is the HTTP API's base.
func (m *Mailpit) URL() string { return fmt.Sprintf("http://127.0.0.1:%d", m.httpPort) }

func (m *Mailpit) api(path string) string { return m.URL() + path }

// Message is one caught message.
type Message struct {
	ID      string
	To      []string
	Subject string
	Text    string
	HTML    string
}

// Messages lists every caught message with its bodies, oldest first.
func (m *Mailpit) Messages() []Message {
	m.t.Helper()
	var list struct {
		Messages []struct {
			ID      string
			Subject string
			To      []struct{ Address string }
		}
	}
	m.get("/api/v1/messages?limit=500", &list)
	out := make([]Message, 0, len(list.Messages))
	for i := len(list.Messages) - 1; i >= 0; i-- {
		x := list.Messages[i]
		var full struct{ Text, HTML string }
		m.get("/api/v1/message/"+x.ID, &full)
		msg := Message{ID: x.ID, Subject: x.Subject, Text: full.Text, HTML: full.HTML}
		for _, to := range x.To {
			msg.To = append(msg.To, to.Address)
		}
		out = append(out, msg)
	}
	return out
}

// Headers returns a caught message's headers.
func (m *Mailpit) Headers(id string) map[string][]string {
	m.t.Helper()
	h := map[string][]string{}
	m.get("/api/v1/message/"+id+"/headers", &h)
	return h
}

// To lists the messages sent to an address.
func (m *Mailpit) To(addr string) []Message {
	var out []Message
	for _, x := range m.Messages() {
		for _, to := range x.To {
			if strings.EqualFold(to, addr) {
				out = append(out, x)
			}
		}
	}
	return out
}

// Wait waits until n messages were caught in all, and returns them.
func (m *Mailpit) Wait(n int, within time.Duration) []Message {
	m.t.Helper()
	end := time.Now().Add(within)
	for {
		msgs := m.Messages()
		if len(msgs) >= n || time.Now().After(end) {
			return msgs
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (m *Mailpit) get(path string, into any) {
	m.t.Helper()
	res, err := http.Get(m.api(path))
	if err != nil {
		m.t.Fatal(err)
	}
	defer res.Body.Close()
	if err := json.NewDecoder(res.Body).Decode(into); err != nil {
		m.t.Fatal(err)
	}
}

var linkRE = regexp.MustCompile(`https?://\S+`)

// Link returns the first link of a message's text.
func (msg Message) Link() string { return linkRE.FindString(msg.Text) }

var codeRE = regexp.MustCompile(`(?m):\s+([A-Z0-9]{4,6}(?:-[A-Z0-9]{4,6})?)\s*$`)

// Code returns the code of a message's text ("... : ABCD-EFGH" or "...: 123456").
func (msg Message) Code() string {
	if c := codeRE.FindStringSubmatch(msg.Text); c != nil {
		return c[1]
	}
	return ""
}
