package httpapi

import (
	"testing"

	"atrium/backend/store"
	"atrium/backend/storetest"
)

// The browser names the dossier its tab shows in a header: a save lands there
// even after another tab switched the session to another dossier.
func TestCallActsOnTheOrganizationItsHeaderNames(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := newServer(t, st)
		c.get("/api/health")
		_, body, _ := c.op("setup.createWorkspace", workspace, true)
		orgA := body["organization"].(map[string]any)["id"].(string)
		_, created, _ := c.op("orgs.create", `{"name":"Boucherie Lefèvre","timezone":"Europe/Paris"}`, true)
		orgB := created["id"].(string)
		if code, _, _ := c.op("orgs.switch", `{"orgId":"`+orgB+`"}`, true); code != 200 {
			t.Fatalf("switch: %d", code)
		}
		if code, body, _ := c.op("company.update", `{"legalName":"Pharmacie du Centre"}`, true, OrgHeader, orgA); code != 200 {
			t.Fatalf("save in A: %d %v", code, body)
		}
		if _, got, _ := c.op("company.get", `{}`, true, OrgHeader, orgA); got["legalName"] != "Pharmacie du Centre" {
			t.Errorf("A's company: %v", got)
		}
		if _, got, _ := c.op("company.get", `{}`, true); got["legalName"] == "Pharmacie du Centre" {
			t.Errorf("the remembered dossier B got A's name: %v", got)
		}
		if code, _, _ := c.op("company.get", `{}`, true, OrgHeader, "no-such-organization"); code != 403 {
			t.Errorf("unknown organization: %d, want 403", code)
		}
	})
}
