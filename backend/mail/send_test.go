package mail_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"atrium/backend/mail"
	"atrium/backend/mail/mailtest"
)

// serverTLS writes a certificate for 127.0.0.1 and its key, and makes Send
// trust that certificate (and no other) for the rest of the test.
func serverTLS(t *testing.T) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:    x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	write := func(name, typ string, b []byte) {
		if err := os.WriteFile(name, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: b}), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(certFile, "CERTIFICATE", der)
	write(keyFile, "EC PRIVATE KEY", keyDER)
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	mail.TrustForTest(t.Cleanup, pool)
	return certFile, keyFile
}

func passwordFile(t *testing.T, user, password string) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "smtp-users")
	if err := os.WriteFile(f, []byte(user+":"+password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

var sample = mail.Message{
	ID:      "0199aabb-ccdd-7eee-8fff-000000000001",
	To:      "Élodie Martin <elodie@example.fr>",
	Subject: "Bienvenue chez Atrium, Élodie",
	Text:    "Bonjour Élodie,\n\nVotre espace est prêt : ouvrez-le ici https://atrium.example.fr/#/invitation?token=" + strings.Repeat("x", 90) + "\n",
	HTML:    "<p>Bonjour Élodie,</p><p>Votre espace est prêt.</p>",
}

// checkDelivered: the one caught message reads as it was written.
func checkDelivered(t *testing.T, mp *mailtest.Mailpit) {
	t.Helper()
	msgs := mp.Wait(1, 5*time.Second)
	if len(msgs) != 1 {
		t.Fatalf("caught %d messages, want 1", len(msgs))
	}
	m := msgs[0]
	if m.Subject != sample.Subject || len(m.To) != 1 || m.To[0] != "elodie@example.fr" {
		t.Fatalf("caught %q to %v", m.Subject, m.To)
	}
	// Lines travel with CRLF endings, as SMTP wants.
	if strings.ReplaceAll(m.Text, "\r\n", "\n") != sample.Text || !strings.Contains(m.HTML, "Votre espace est prêt.") {
		t.Fatalf("bodies changed on the way:\n%q\n%q", m.Text, m.HTML)
	}
	h := mp.Headers(m.ID)
	if got := h["Message-Id"]; len(got) != 1 || got[0] != "<"+sample.ID+"@example.fr>" {
		t.Fatalf("Message-ID %v", got)
	}
}

// STARTTLS required by the server, with a password: delivered, once, intact.
func TestSendStartTLSWithPassword(t *testing.T) {
	cert, key := serverTLS(t)
	mp := mailtest.Start(t, "--smtp-tls-cert", cert, "--smtp-tls-key", key, "--smtp-require-starttls",
		"--smtp-auth-file", passwordFile(t, "atrium", "mot-de-passe-smtp"))
	s := mp.Settings()
	s.Security, s.Username, s.Password = mail.SecurityStartTLS, "atrium", "mot-de-passe-smtp"
	if err := mail.Send(context.Background(), s, sample); err != nil {
		t.Fatal(err)
	}
	checkDelivered(t, mp)

	s.Password = "wrong"
	if err := mail.Send(context.Background(), s, sample); mail.ReasonOf(err) != mail.ReasonAuth {
		t.Fatalf("wrong SMTP password: %v (%s)", err, mail.ReasonOf(err))
	}
}

// Implicit TLS (port 465 style) from the first byte.
func TestSendImplicitTLS(t *testing.T) {
	cert, key := serverTLS(t)
	mp := mailtest.Start(t, "--smtp-tls-cert", cert, "--smtp-tls-key", key, "--smtp-require-tls")
	s := mp.Settings()
	s.Security = mail.SecurityTLS
	if err := mail.Send(context.Background(), s, sample); err != nil {
		t.Fatal(err)
	}
	checkDelivered(t, mp)
}

// STARTTLS mode never falls back to a plain connection, and a certificate
// Atrium cannot verify is refused: nothing is sent either way.
func TestSendRefusesWithoutTrustedTLS(t *testing.T) {
	plain := mailtest.Start(t)
	s := plain.Settings()
	s.Security = mail.SecurityStartTLS
	if err := mail.Send(context.Background(), s, sample); mail.ReasonOf(err) != mail.ReasonNoStartTLS {
		t.Fatalf("server without STARTTLS: %v (%s)", err, mail.ReasonOf(err))
	}
	if n := len(plain.Messages()); n != 0 {
		t.Fatalf("%d messages went out in clear", n)
	}

	cert, key := serverTLS(t)
	mail.TrustForTest(t.Cleanup, x509.NewCertPool()) // trusts nothing
	untrusted := mailtest.Start(t, "--smtp-tls-cert", cert, "--smtp-tls-key", key)
	s = untrusted.Settings()
	s.Security = mail.SecurityStartTLS
	if err := mail.Send(context.Background(), s, sample); mail.ReasonOf(err) != mail.ReasonTLS {
		t.Fatalf("unverifiable certificate: %v (%s)", err, mail.ReasonOf(err))
	}
	if n := len(untrusted.Messages()); n != 0 {
		t.Fatalf("%d messages sent to an unverified server", n)
	}
}

// A line break in the subject cannot add a header of its own.
func TestSendKeepsHeadersOnTheirLine(t *testing.T) {
	mp := mailtest.Start(t)
	m := sample
	m.Subject = "Bonjour\r\nBcc: intrus@example.fr"
	if err := mail.Send(context.Background(), mp.Settings(), m); err != nil {
		t.Fatal(err)
	}
	msgs := mp.Wait(1, 5*time.Second)
	if len(msgs) != 1 || msgs[0].Subject != "Bonjour Bcc: intrus@example.fr" {
		t.Fatalf("caught %+v", msgs)
	}
	if h := mp.Headers(msgs[0].ID); len(h["Bcc"]) != 0 {
		t.Fatalf("a header was injected: %v", h["Bcc"])
	}
}

// A server that accepts the connection and then says nothing does not hold
// the worker beyond its deadline.
func TestSendGivesUpAtDeadline(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	s := mail.Settings{Host: "127.0.0.1", Port: l.Addr().(*net.TCPAddr).Port, Security: mail.SecurityNone, Sender: "atrium@example.fr"}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := mail.Send(ctx, s, sample); mail.ReasonOf(err) != mail.ReasonUnreachable {
		t.Fatalf("silent server: %v (%s)", err, mail.ReasonOf(err))
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("gave up after %v", d)
	}
}

// Each refusal is named for what the office manager has to fix.
func TestSendNamesWhyItFailed(t *testing.T) {
	ctx := context.Background()
	// Nothing listens there.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().(*net.TCPAddr).Port
	l.Close()
	s := mail.Settings{Host: "127.0.0.1", Port: closed, Security: mail.SecurityNone, Sender: "atrium@example.fr"}
	if err := mail.Send(ctx, s, sample); mail.ReasonOf(err) != mail.ReasonUnreachable {
		t.Fatalf("closed port: %v (%s)", err, mail.ReasonOf(err))
	}

	// A password over a plain connection is refused before it leaves, except
	// to this machine: "localhost" is this machine, so mailpit (which offers
	// no AUTH without its flag) is asked and the missing method is named.
	mp := mailtest.Start(t)
	s = mp.Settings()
	s.Username, s.Password = "atrium", "secret"
	if err := mail.Send(ctx, s, sample); mail.ReasonOf(err) != mail.ReasonAuth {
		t.Fatalf("server without AUTH: %v (%s)", err, mail.ReasonOf(err))
	}

	// Recipients refused by the server (mailpit's --smtp-allowed-recipients).
	picky := mailtest.Start(t, "--smtp-allowed-recipients", `@allowed\.example$`)
	if err := mail.Send(ctx, picky.Settings(), sample); mail.ReasonOf(err) != mail.ReasonRecipient {
		t.Fatalf("refused recipient: %v (%s)", err, mail.ReasonOf(err))
	}
	if n := len(mp.Messages()) + len(picky.Messages()); n != 0 {
		t.Fatalf("%d messages caught", n)
	}
}
