package app

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"atrium/backend/auth"
	"atrium/backend/domain"
	"atrium/backend/service"
)

// An account with its second factor on connects over real HTTP: the first
// answer asks for the code, a wrong code is refused (nothing connected), the
// right one connects, and the desktop's session shows among the account's
// devices on the server.
func TestConnectWithTheSecondFactor(t *testing.T) {
	s := newTestServer(t, false)
	token := s.signIn()
	enr := s.call(token, "twoFactor.begin", `{}`).(service.TwoFactorEnrollment)
	now := time.Now()
	res, err := s.sys.Registry.Invoke(t.Context(), service.Call{Op: "twoFactor.confirm", Token: token,
		Input: []byte(`{"code":"` + auth.TOTPCode(enr.Secret, now) + `"}`)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Token != "" {
		token = res.Token // the session goes on with a new token
	}

	d := newTestDesktop(t, t.TempDir())
	in := service.ConnectInput{Server: s.url(), Email: "anne.martin@example.fr", Password: annePassword}
	raw, _ := json.Marshal(in)
	first := invoke[service.Connected](t, d, "sync.connect", string(raw), "")
	if first.PendingTwoFactor == nil || *first.PendingTwoFactor == "" {
		t.Fatalf("the first answer does not ask for the code: %+v", first)
	}
	if st := status(t, d); st.Connected {
		t.Fatalf("connected before the code: %+v", st)
	}

	// The code of the next period: the one confirming the enrolment is spent.
	right := auth.TOTPCode(enr.Secret, now.Add(30*time.Second))
	wrong := []byte(right)
	for i := range wrong {
		wrong[i] = '0' + (wrong[i]-'0'+5)%10
	}
	in.PendingToken, in.Code = *first.PendingTwoFactor, string(wrong)
	raw, _ = json.Marshal(in)
	_, err = d.Invoke("sync.connect", string(raw), "")
	var de *domain.Error
	if !asDomain(err, &de) || de.Code != domain.CodeValidation || de.Fields["code"] != domain.FieldInvalidCode {
		t.Fatalf("a wrong code: %v, want invalid_code", err)
	}
	if st := status(t, d); st.Connected {
		t.Fatalf("connected with a wrong code: %+v", st)
	}

	in.Code = right
	raw, _ = json.Marshal(in)
	c := invoke[service.Connected](t, d, "sync.connect", string(raw), "")
	if c.PendingTwoFactor != nil || c.Organizations != 1 {
		t.Fatalf("connected with the right code: %+v", c)
	}
	if st := status(t, d); !st.Connected || st.State != service.SyncOnline {
		t.Fatalf("after the code: %+v", st)
	}
	devices := s.call(token, "sessions.list", `{}`).(service.DeviceSessions)
	desktops := 0
	for _, dev := range devices.Sessions {
		if dev.Kind == domain.SessionDesktop && strings.HasPrefix(dev.DeviceName, "Atrium Desktop") {
			desktops++
		}
	}
	if desktops != 1 {
		t.Fatalf("the desktop is listed %d times among the account's devices: %+v", desktops, devices.Sessions)
	}
}
