package mail_test

import (
	"bufio"
	"bytes"
	"context"
	"log/slog"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"

	"atrium/backend/domain"
	"atrium/backend/mail"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

// quotingServer is an SMTP server on 127.0.0.1 that refuses every message
// after reading it, quoting back the link and code it found in it, as some
// spam filters do ("URL ... is listed").
func quotingServer(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	secret := regexp.MustCompile(`https?://\S+|[A-Z0-9]{5}-[A-Z0-9]{5}`)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				defer c.Close()
				c.SetDeadline(time.Now().Add(10 * time.Second))
				r := bufio.NewReader(c)
				say := func(s string) { c.Write([]byte(s + "\r\n")) }
				say("220 quoting.test ESMTP")
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					switch cmd := strings.ToUpper(strings.TrimSpace(line)); {
					case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
						say("250 quoting.test")
					case strings.HasPrefix(cmd, "DATA"):
						say("354 go on")
						var body strings.Builder
						for {
							l, err := r.ReadString('\n')
							if err != nil {
								return
							}
							if l == ".\r\n" {
								break
							}
							body.WriteString(l)
						}
						found := secret.FindAllString(strings.ReplaceAll(body.String(), "=\r\n", ""), -1)
						say("554 5.7.1 rejected, listed content: " + strings.Join(found, " "))
					case strings.HasPrefix(cmd, "QUIT"):
						say("221 bye")
						return
					default:
						say("250 ok")
					}
				}
			}(c)
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port
}

// A server that quotes a refused message's link or code in its answer does
// not get them written to the logs nor to the failure kept for support.
func TestRefusalQuotingTheLinkIsNotLogged(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		port := quotingServer(t)
		const token = "Zq3xWvT0kLmN8pR2sU5yA7bC9dE1fG4hJ6iK0oP2rS4"
		link, code := "http://console.test/#/reset-password?token="+token, "K7PQ2-MX9TA"
		subj, txt, html, err := mail.Render(mail.KindPasswordReset, "fr", mail.Data{Name: "Anne", Link: link, Code: code, Expires: "1 heure"})
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC()
		m := store.OutboxMessage{ID: domain.NewID(), ToAddr: "anne@example.fr", Language: "fr", Kind: mail.KindPasswordReset,
			Subject: subj, TextBody: txt, HTMLBody: html, Link: link, Code: code, Status: store.OutboxPending, NextAt: now, CreatedAt: now}
		if err := st.Create(ctx, &m); err != nil {
			t.Fatal(err)
		}
		var logs bytes.Buffer
		w := mail.NewWorker(mail.WorkerConfig{Store: st, Log: slog.New(slog.NewTextHandler(&logs, nil)), Settings: func(context.Context) (mail.Settings, error) {
			return mail.Settings{Host: "127.0.0.1", Port: port, Security: mail.SecurityNone, Sender: "atrium@example.fr"}, nil
		}})
		if n, err := w.Round(ctx); err != nil || n != 0 {
			t.Fatalf("round: sent %d, %v", n, err)
		}
		var got store.OutboxMessage
		st.DB(ctx).Where("id = ?", m.ID).Take(&got)
		if got.LastReason != mail.ReasonRejected || !strings.Contains(got.LastError, "554") {
			t.Fatalf("the refusal was not recorded: %q / %q", got.LastReason, got.LastError)
		}
		if !strings.Contains(logs.String(), "554") {
			t.Fatalf("the refusal was not logged: %s", logs.String())
		}
		for _, secret := range []string{token, code, strings.ReplaceAll(code, "-", "")} {
			if strings.Contains(logs.String(), secret) || strings.Contains(got.LastError, secret) {
				t.Fatalf("the server's quote of a secret was kept:\nlog: %s\nlast_error: %s", logs.String(), got.LastError)
			}
		}
	})
}
