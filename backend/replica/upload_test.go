package replica

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"atrium/backend/domain"
	"atrium/backend/service"
	"atrium/backend/storetest"
)

// A standalone desktop's dossier (its admin Paul, Anne who has an account on
// the server, Zoé who has none, tasks) is sent by Bruno connecting, then
// pulled: the replica holds it exactly as the server does, table by table,
// Bruno its admin, Anne (an account Bruno does not manage on the server) and
// Zoé invitations; the desktop's own file is unchanged. On SQLite and
// PostgreSQL.
func TestAnUploadedDossierIsPulledAsTheServerHoldsIt(t *testing.T) {
	eachServer(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		local, err := service.Start(ctx, service.Config{DB: filepath.Join(t.TempDir(), "atrium.db"),
			Deps: service.Deps{Version: "test", Log: quietLog(), Password: fastHash}})
		if err != nil {
			t.Fatal(err)
		}
		defer local.Close()
		res, err := local.Registry.Invoke(ctx, service.Call{Op: "setup.createWorkspace", Input: []byte(
			`{"firstName":"Paul","lastName":"Roche","email":"paul@poste.fr","password":"un mot de passe du poste","organizationName":"Dossiers du poste","timezone":"Europe/Paris"}`)})
		if err != nil {
			t.Fatal(err)
		}
		paul, org := res.Output.(service.SessionInfo).Account.ID, res.Output.(service.SessionInfo).Organization.ID
		addMember(t, local.Store, org, "anne.martin@example.fr", "Anne", "Martin")
		addMember(t, local.Store, org, "zoe.blanc@nouvelle.fr", "Zoé", "Blanc")
		for _, title := range []string{"Bilan 2026", "Relance TVA", "Inventaire"} {
			if _, err := local.Registry.Invoke(ctx, service.Call{Op: "tasks.create", Token: res.Token, Org: org,
				Input: []byte(`{"title":"` + title + `"}`)}); err != nil {
				t.Fatal(err)
			}
		}
		before, err := service.UploadFromStore(ctx, local.Store, org, paul)
		if err != nil {
			t.Fatal(err)
		}

		var out service.Uploaded
		if err := w.client.Call(ctx, "sync.upload", "", before, &out); err != nil {
			t.Fatal(err)
		}
		// Anne has an account, but Bruno does not manage her there: invited.
		if out.Members != 1 || out.Invited != 2 || out.Tasks != 3 {
			t.Fatalf("uploaded %+v", out)
		}
		// Sent again (a connection that stopped half-way): refused, nothing twice.
		err = w.client.Call(ctx, "sync.upload", "", before, &out)
		if e, ok := err.(*domain.Error); !ok || e.Fields["organization"] != domain.FieldAlreadyOnServer {
			t.Fatalf("sent again: %v", err)
		}
		rep := w.pull()
		if rep.Organizations != 2 {
			t.Fatalf("the pull rebuilt %d organizations", rep.Organizations)
		}
		if err := compareReplica(ctx, w.server, w.client.cookie("atrium_session"), w.desk.Store); err != nil {
			t.Fatal(err)
		}
		if n := w.count("tasks", "org_id = ?", org); n != 3 {
			t.Fatalf("the replica holds %d of the dossier's tasks", n)
		}
		if n := w.count("memberships", "org_id = ? AND account_id = ?", org, w.bruno); n != 1 {
			t.Fatalf("Bruno is not a member of the dossier in the replica")
		}
		if n := w.count("invitations", "org_id = ? AND email IN ?", org, []string{"zoe.blanc@nouvelle.fr", "anne.martin@example.fr"}); n != 2 {
			t.Fatalf("%d of the two invitations are in the replica", n)
		}
		after, err := service.UploadFromStore(ctx, local.Store, org, paul)
		if err != nil {
			t.Fatal(err)
		}
		if string(jsonOf(after)) != string(jsonOf(before)) {
			t.Fatal("the desktop's own file changed")
		}
	})
}

// A real dossier is larger than an ordinary call may be (1 MB): the door
// takes an upload of a few megabytes, and refuses one beyond its bound
// with too_large, nothing applied.
func TestALargeDossierIsSentWhole(t *testing.T) {
	w := newWorld(t, storetest.SQLite(t))
	in := service.UploadInput{Organization: service.UploadOrganization{ID: domain.NewID(), Name: "Grand dossier", Timezone: "Europe/Paris",
		Status: domain.OrgActive}}
	title := strings.Repeat("Déclaration de TVA du trimestre ", 3)
	for range 12000 {
		in.Tasks = append(in.Tasks, service.UploadTask{ID: domain.NewID(), Title: title, Status: "open"})
	}
	if n := len(jsonOf(in)); n < 2<<20 {
		t.Fatalf("the dossier is only %d bytes", n)
	}
	var out service.Uploaded
	if err := w.client.Call(w.ctx, "sync.upload", "", in, &out); err != nil || out.Tasks != 12000 {
		t.Fatalf("a dossier of 12,000 tasks: %+v, %v", out, err)
	}
	huge := in
	huge.Organization.ID = domain.NewID()
	for len(jsonOf(huge)) < 33<<20 {
		huge.Tasks = append(huge.Tasks, huge.Tasks...)
	}
	huge.Tasks = huge.Tasks[:min(len(huge.Tasks), 49000)]
	for i := range huge.Tasks {
		huge.Tasks[i].Title = strings.Repeat("x", 700)
	}
	err := w.client.Call(w.ctx, "sync.upload", "", huge, &out)
	if domain.CodeOf(err) != domain.CodeTooLarge {
		t.Fatalf("beyond the bound (%d bytes): %v", len(jsonOf(huge)), err)
	}
	if ok, err := w.server.Store.OrganizationExists(w.ctx, huge.Organization.ID); err != nil || ok {
		t.Fatalf("a refused upload left its organization (%v)", err)
	}
}
