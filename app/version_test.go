package app

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"atrium/backend/buildinfo"
	"atrium/backend/domain"
	"atrium/backend/httpapi"
	"atrium/backend/service"
)

// versionedServer is a real Atrium server whose health can say it is of
// another version (an update installed on one side only): shift moves the
// schema it answers, ahead (1) or behind (-1).
type versionedServer struct {
	*testServer
	srv   *httptest.Server
	shift atomic.Int64
	posts atomic.Int64 // requests that could carry a password or a change
}

func newVersionedServer(t *testing.T) *versionedServer {
	v := &versionedServer{testServer: newTestServer(t, false)}
	api := httpapi.New(httpapi.Options{Registry: v.sys.Registry, Version: "test", Log: quiet()})
	v.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		shift := v.shift.Load()
		if r.Method == http.MethodPost && shift != 0 {
			v.posts.Add(1)
		}
		if r.URL.Path != "/api/health" || shift == 0 {
			api.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		api.ServeHTTP(rec, r)
		var h map[string]any
		_ = json.Unmarshal(rec.Body.Bytes(), &h)
		h["schema"], h["version"] = service.KnownSchema()+shift, "9."+strconv.FormatInt(shift+1, 10)
		for k, vs := range rec.Header() {
			w.Header()[k] = vs
		}
		b, _ := json.Marshal(h)
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.WriteHeader(rec.Code)
		_, _ = io.Copy(w, bytes.NewReader(b))
	}))
	t.Cleanup(v.srv.Close)
	return v
}

// Before any password is sent, the address check says when the server and
// this desktop are of versions that cannot sync, and which one to update;
// connecting is refused the same way, and nothing is posted.
func TestConnectSaysWhenTheVersionsDiffer(t *testing.T) {
	s := newVersionedServer(t)
	d := newTestDesktop(t, t.TempDir())
	for _, c := range []struct {
		shift  int64
		update string
		code   domain.Code
	}{{1, "desktop", domain.CodeDesktopOutdated}, {-1, "server", domain.CodeServerOutdated}} {
		s.shift.Store(c.shift)
		p := invoke[service.ServerProbe](t, d, "sync.probe", `{"server":"`+s.srv.URL+`"}`, "")
		if p.Update != c.update || p.Version == "" || p.DesktopVersion != buildinfo.Version {
			t.Errorf("server %+d: the probe says %+v", c.shift, p)
		}
		in, _ := json.Marshal(service.ConnectInput{Server: s.srv.URL, Email: "anne.martin@example.fr", Password: annePassword})
		if _, err := d.Invoke("sync.connect", string(in), ""); domain.CodeOf(err) != c.code {
			t.Errorf("server %+d: connecting gives %v, want %s", c.shift, err, c.code)
		}
	}
	if n := s.posts.Load(); n != 0 {
		t.Fatalf("%d requests posted to a server of another version", n)
	}
	s.shift.Store(0)
	if p := invoke[service.ServerProbe](t, d, "sync.probe", `{"server":"`+s.srv.URL+`"}`, ""); p.Update != "" {
		t.Fatalf("the same version: %+v", p)
	}
}

// Connected, when the server is updated (or this desktop is) the sync says
// so and stops: the change made meanwhile stays queued, nothing is pushed or
// pulled, until both are of one version again; then it goes.
func TestAnotherVersionKeepsTheQueue(t *testing.T) {
	s := newVersionedServer(t)
	d := newTestDesktop(t, t.TempDir())
	in, _ := json.Marshal(service.ConnectInput{Server: s.srv.URL, Email: "anne.martin@example.fr", Password: annePassword})
	invoke[service.Connected](t, d, "sync.connect", string(in), "")
	for _, shift := range []int64{1, -1} {
		s.shift.Store(shift)
		invoke[service.Task](t, d, "tasks.create", `{"title":"Faite pendant la mise à jour"}`, s.org)
		syncNow(d)
		st := status(t, d)
		update := map[int64]string{1: "desktop", -1: "server"}[shift]
		if st.State != service.SyncVersion || st.Waiting == 0 || st.Versions == nil || st.Versions.Update != update ||
			st.Versions.Desktop != buildinfo.Version || st.Versions.Server == "" {
			t.Fatalf("server %+d: %+v (versions %+v)", shift, st, st.Versions)
		}
		if n := s.posts.Load(); n != 0 {
			t.Fatalf("server %+d: %d requests posted", shift, n)
		}
	}
	s.shift.Store(0)
	syncNow(d)
	if st := status(t, d); st.State != service.SyncOnline || st.Waiting != 0 {
		t.Fatalf("the same version again: %+v", st)
	}
	page := s.call(s.signIn(), "tasks.list", `{}`).(service.TaskPage)
	if len(page.Items) != 2 || !strings.Contains(page.Items[0].Title, "mise à jour") {
		t.Fatalf("the server holds %+v", page.Items)
	}
}
