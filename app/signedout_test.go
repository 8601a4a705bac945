package app

import (
	"strings"
	"testing"

	"atrium/backend/domain"
	"atrium/backend/service"
)

// Signed out from the browser, the desktop's window does not fall on the
// first run (the replica then holds no account): the setup status says it
// is connected and needs no setup, a first run is refused, the session is
// gone (the window shows the sign-in-again page), and the queue is kept.
func TestSignedOutRemotelyLandsOnSignInAgain(t *testing.T) {
	s := newTestServer(t, false)
	d := newTestDesktop(t, t.TempDir())
	connect(t, d, s, "")
	invoke[service.Task](t, d, "tasks.create", `{"title":"Gardée"}`, s.org)
	token := s.signIn()
	for _, dev := range s.call(token, "sessions.list", `{}`).(service.DeviceSessions).Sessions {
		if dev.Kind == domain.SessionDesktop && strings.HasPrefix(dev.DeviceName, "Atrium Desktop") {
			s.call(token, "sessions.revoke", `{"id":"`+dev.ID+`"}`)
		}
	}
	syncNow(d)

	setup := invoke[service.SetupStatus](t, d, "setup.status", `{}`, "")
	if setup.NeedsSetup || setup.Connected == nil || !*setup.Connected {
		t.Fatalf("signed out remotely, the setup status says %+v", setup)
	}
	if _, err := d.Invoke("session.current", `{}`, ""); domain.CodeOf(err) != domain.CodeUnauthenticated {
		t.Fatalf("the window's session after the remote sign-out: %v", err)
	}
	if _, err := d.Invoke("setup.createWorkspace", paulWorkspace, ""); domain.CodeOf(err) != domain.CodeSetupDone {
		t.Fatalf("a first run on the replica: %v", err)
	}
	if st := status(t, d); st.State != service.SyncSignedOut || st.Waiting != 1 || st.Server == "" || st.Email != "anne.martin@example.fr" {
		t.Fatalf("the status the sign-in-again page shows: %+v", st)
	}
}
