package mail

import (
	"net"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// A password is never written on an unencrypted connection to another
// machine: the refusal comes before any byte is sent.
func TestNoPasswordInClear(t *testing.T) {
	client, server := net.Pipe()
	defer server.Close()
	c := smtp.NewClient(client)
	defer c.Close()
	wrote := make(chan int, 1)
	go func() {
		buf := make([]byte, 512)
		_ = server.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
		n, _ := server.Read(buf)
		wrote <- n
	}()
	err := authenticate(c, Settings{Host: "smtp.example.fr", Username: "atrium", Password: "secret"})
	if ReasonOf(err) != ReasonInsecureAuth {
		t.Fatalf("got %v (%s)", err, ReasonOf(err))
	}
	if n := <-wrote; n != 0 {
		t.Fatalf("%d bytes went out before the refusal", n)
	}
	for host, want := range map[string]bool{"localhost": true, "127.0.0.1": true, "::1": true, "smtp.example.fr": false, "10.0.0.1": false} {
		if isLoopback(host) != want {
			t.Errorf("isLoopback(%q) = %v", host, !want)
		}
	}
}
