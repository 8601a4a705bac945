package app

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"atrium/backend/domain"
	"atrium/backend/service"
)

const paulWorkspace = `{"firstName":"Paul","lastName":"Roche","email":"paul@poste.fr","password":"un mot de passe du poste","organizationName":"Dossiers du poste","timezone":"Europe/Paris"}`

// A standalone desktop holding its own dossier connects and sends it: the
// server makes it one of its organizations, Anne (the connecting account)
// its admin; the first sync brings it into the replica as the server holds
// it; the desktop's own file is not changed, and disconnecting reopens it
// as it was.
func TestUploadSendsTheDesktopsDossierToTheServer(t *testing.T) {
	s := newTestServer(t, false)
	dir := t.TempDir()
	d := newTestDesktop(t, dir)
	invoke[service.SessionInfo](t, d, "setup.createWorkspace", paulWorkspace, "")
	local := invoke[service.SessionInfo](t, d, "session.current", `{}`, "").Organization.ID
	for _, title := range []string{"Bilan 2026", "Relance TVA"} {
		invoke[service.Task](t, d, "tasks.create", `{"title":"`+title+`"}`, local)
	}
	before := invoke[json.RawMessage](t, d, "tasks.list", `{}`, local)

	mine, err := service.UploadFromStore(t.Context(), d.sys.Store, local, "")
	if err != nil {
		t.Fatal(err)
	}
	dossiers := invoke[service.LocalDossiers](t, d, "sync.localDossiers", `{}`, "")
	if len(dossiers.Dossiers) != 1 || dossiers.Dossiers[0].ID != local || dossiers.Dossiers[0].Tasks != 2 || dossiers.Dossiers[0].Members != 1 {
		t.Fatalf("the dossiers to send: %+v", dossiers)
	}
	// A dossier that is not the desktop user's to send is refused before anything leaves.
	in, _ := json.Marshal(service.ConnectInput{Server: s.url(), Email: "anne.martin@example.fr", Password: annePassword,
		Upload: []string{domain.NewID()}})
	if _, err := d.Invoke("sync.connect", string(in), ""); domain.CodeOf(err) != domain.CodeValidation {
		t.Fatalf("sending a dossier the desktop does not hold: %v", err)
	}
	if st := status(t, d); st.Connected {
		t.Fatalf("a refused connection connected: %+v", st)
	}

	in, _ = json.Marshal(service.ConnectInput{Server: s.url(), Email: "anne.martin@example.fr", Password: annePassword, Upload: []string{local}})
	c := invoke[service.Connected](t, d, "sync.connect", string(in), "")
	if c.Organizations != 2 || c.Uploaded != 1 {
		t.Fatalf("connected: %+v", c)
	}
	// The replica never receives an organization itself: it would be its alone.
	mine.Organization.ID = domain.NewID()
	raw, _ := json.Marshal(mine)
	if _, err := d.Invoke("sync.upload", string(raw), ""); domain.CodeOf(err) != domain.CodeForbidden {
		t.Fatalf("an upload into the replica: %v", err)
	}

	// On the server: Anne's organization, Paul's tasks, the history's word.
	token := s.signIn()
	onServer := func(op string) json.RawMessage {
		t.Helper()
		res, err := s.sys.Registry.Invoke(t.Context(), service.Call{Op: op, Input: []byte(`{}`), Token: token, Org: local})
		if err != nil {
			t.Fatalf("%s on the server: %v", op, err)
		}
		b, _ := json.Marshal(res.Output)
		return b
	}
	var hist service.HistoryPage
	json.Unmarshal(onServer("history.list"), &hist)
	found := false
	for _, e := range hist.Entries {
		found = found || e.Action == "org.imported"
	}
	if !found {
		t.Fatalf("the server's history of the dossier: %+v", hist.Entries)
	}
	// The replica holds it as the server does.
	for _, op := range []string{"tasks.list", "members.list", "company.get", "orgs.current"} {
		var onReplica json.RawMessage = invoke[json.RawMessage](t, d, op, `{}`, local)
		var a, b any
		json.Unmarshal(onServer(op), &a)
		json.Unmarshal(onReplica, &b)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: the replica holds\n%s\nthe server\n%s", op, onReplica, onServer(op))
		}
	}
	var tasks service.TaskPage
	json.Unmarshal(onServer("tasks.list"), &tasks)
	if len(tasks.Items) != 2 {
		t.Fatalf("the server's tasks: %+v", tasks.Items)
	}
	var members service.MemberPage
	json.Unmarshal(onServer("members.list"), &members)
	if len(members.Items) != 1 || members.Items[0].Email != "anne.martin@example.fr" {
		t.Fatalf("the server's members: %+v", members.Items)
	}

	// Disconnected: the desktop's own file as it was.
	invoke[service.Disconnected](t, d, "sync.disconnect", `{}`, "")
	invoke[service.SessionInfo](t, d, "auth.signIn", `{"email":"paul@poste.fr","password":"un mot de passe du poste"}`, "")
	after := invoke[json.RawMessage](t, d, "tasks.list", `{}`, local)
	if string(after) != string(before) {
		t.Fatalf("the desktop's own tasks changed:\n%s\n%s", before, after)
	}
	if orgs := invoke[json.RawMessage](t, d, "orgs.list", `{}`, ""); strings.Contains(string(orgs), "Cabinet Martin") {
		t.Fatalf("the desktop's own file holds the server's dossier: %s", orgs)
	}
}
