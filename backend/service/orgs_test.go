package service

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"atrium/backend/audit"
	"atrium/backend/auth"
	"atrium/backend/domain"
	"atrium/backend/store"
	"atrium/backend/storetest"
)

// lastDetails returns the details of the newest history entry of an action.
func lastDetails(t *testing.T, st *store.Store, action string) map[string]any {
	t.Helper()
	var raw string
	if err := st.DB(context.Background()).Table("audit_events").Where("action = ?", action).Order("seq DESC").
		Limit(1).Pluck("details", &raw).Error; err != nil || raw == "" {
		t.Fatalf("no history entry %s: %v", action, err)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func wantFields(t *testing.T, err error, want map[string]string) {
	t.Helper()
	got := fieldsOf(t, err)
	for f, code := range want {
		if got[f] != code {
			t.Errorf("field %s: got %q, want %q (all: %v)", f, got[f], code, got)
		}
	}
}

func TestCreateListSwitchOrganizations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		before := snapshot(t, st)
		_, err := e.call("orgs.create", f.adminA, `{"name":"","website":"ftp://exemple.fr","timezone":"Mars/Base"}`)
		wantFields(t, err, map[string]string{"name": "required", "website": "invalid_url", "timezone": "invalid_timezone"})
		_, err = e.call("orgs.create", f.adminA, fmt.Sprintf(`{"name":%q,"website":"javascript:alert(1)","timezone":""}`, strings.Repeat("x", 101)))
		wantFields(t, err, map[string]string{"name": "too_long:100", "website": "invalid_url", "timezone": "required"})
		_, err = e.call("orgs.create", f.adminA, fmt.Sprintf(`{"name":"Durand","website":"https://%s.fr","timezone":"Europe/Paris"}`, strings.Repeat("a", 200)))
		wantFields(t, err, map[string]string{"website": "too_long:200"})
		if snapshot(t, st) != before {
			t.Fatal("a refused creation changed the database")
		}

		created := e.mustCall("orgs.create", f.adminA, `{"name":" Société Générale d'Études ","website":"exemple.fr","timezone":"America/Martinique"}`).Output.(OrgSummary)
		if created.Name != "Société Générale d'Études" || created.Timezone != "America/Martinique" || created.Status != "active" {
			t.Fatalf("created %+v", created)
		}
		if d := lastDetails(t, st, audit.OrgCreated); d["website"] != "https://exemple.fr" {
			t.Errorf("history of the creation: %v", d)
		}
		page := e.mustCall("orgs.list", f.adminA, `{}`).Output.(OrgPage)
		if page.Total != 2 || len(page.Items) != 2 || page.Items[0].Name != "Cabinet Martin" || !page.Items[0].Current || page.Items[1].Current {
			t.Fatalf("list %+v", page)
		}
		for _, q := range []string{`{"name":"societe"}`, `{"name":"ÉTUDES"}`, `{"name":"  générale   d'"}`, fmt.Sprintf(`{"id":%q}`, created.ID), fmt.Sprintf(`{"id":%q}`, strings.ToUpper(created.ID[:13]))} {
			p := e.mustCall("orgs.list", f.adminA, q).Output.(OrgPage)
			if p.Total != 1 || p.Items[0].ID != created.ID {
				t.Errorf("filter %s: %+v", q, p)
			}
		}
		for _, q := range []string{`{"name":"%"}`, `{"name":"_"}`, `{"id":"zz"}`} {
			if p := e.mustCall("orgs.list", f.adminA, q).Output.(OrgPage); p.Total != 0 {
				t.Errorf("filter %s matched %+v", q, p)
			}
		}
		p := e.mustCall("orgs.list", f.adminA, `{"offset":1,"limit":1}`).Output.(OrgPage)
		if p.Total != 2 || len(p.Items) != 1 || p.Items[0].ID != created.ID {
			t.Errorf("second page %+v", p)
		}
		_, err = e.call("orgs.list", f.adminA, `{"offset":-1,"limit":1000}`)
		wantFields(t, err, map[string]string{"offset": "invalid_choice", "limit": "invalid_choice"})

		// Switching: the session works in the new one, and the next sign-in too.
		info := e.mustCall("orgs.switch", f.adminA, fmt.Sprintf(`{"orgId":%q}`, created.ID)).Output.(SessionInfo)
		if info.Organization.ID != created.ID || !info.IsAdmin {
			t.Fatalf("switch: %+v", info)
		}
		if cur := e.mustCall("orgs.current", f.adminA, `{}`).Output.(OrgDetails); cur.ID != created.ID || cur.Website != "https://exemple.fr" {
			t.Fatalf("current after switch %+v", cur)
		}
		res := e.mustCall("auth.signIn", "", `{"email":"anne.martin@example.fr","password":"un mot de passe solide"}`)
		if got := res.Output.(SessionInfo).Organization.ID; got != created.ID {
			t.Errorf("sign-in did not remember the last organization: %s", got)
		}
	})
}

func TestOrganizationIsolation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		secret := e.mustCall("orgs.create", f.adminA, `{"name":"Dossier Confidentiel","website":"","timezone":"Europe/Paris"}`).Output.(OrgSummary)
		mine := e.mustCall("orgs.create", f.adminB, `{"name":"Dossier Durand","website":"","timezone":"Europe/Paris"}`).Output.(OrgSummary)
		before := snapshot(t, st)
		for _, q := range []string{`{}`, `{"name":"dossier"}`, `{"name":"confidentiel"}`, fmt.Sprintf(`{"id":%q}`, secret.ID), fmt.Sprintf(`{"id":%q}`, f.orgA), `{"limit":100}`} {
			p := e.mustCall("orgs.list", f.adminB, q).Output.(OrgPage)
			for _, it := range p.Items {
				if it.ID == secret.ID || it.ID == f.orgA {
					t.Errorf("B sees A's organization %s through %s", it.Name, q)
				}
			}
		}
		if p := e.mustCall("orgs.list", f.adminB, `{"name":"dossier"}`).Output.(OrgPage); p.Total != 1 || p.Items[0].ID != mine.ID {
			t.Errorf("B's own filter %+v", p)
		}
		for _, id := range []string{secret.ID, f.orgA, "no-such-org"} {
			if _, err := e.call("orgs.switch", f.adminB, fmt.Sprintf(`{"orgId":%q}`, id)); domain.CodeOf(err) != domain.CodeNotFound {
				t.Errorf("B switching to %s: %v", id, err)
			}
		}
		// A member without rights of A sees A, not B's.
		if p := e.mustCall("orgs.list", f.memberA, `{}`).Output.(OrgPage); p.Total != 1 || p.Items[0].ID != f.orgA {
			t.Errorf("member's list %+v", p)
		}
		// A responsible from another organization is refused.
		_, err := e.call("orgs.update", f.adminA, fmt.Sprintf(`{"responsibleId":%q}`, f.adminBID))
		wantFields(t, err, map[string]string{"responsibleId": "invalid_member"})
		if snapshot(t, st) != before {
			t.Fatal("refused calls changed the database")
		}
		// A disabled membership no longer lists nor switches.
		st.DB(context.Background()).Exec("UPDATE memberships SET status = ? WHERE account_id = ? AND org_id = ?", domain.MemberDisabled, f.memberAID, f.orgA)
		if p := e.mustCall("orgs.list", f.memberA, `{}`).Output.(OrgPage); p.Total != 0 {
			t.Errorf("a disabled member still lists %+v", p)
		}
		if _, err := e.call("orgs.switch", f.memberA, fmt.Sprintf(`{"orgId":%q}`, f.orgA)); domain.CodeOf(err) != domain.CodeNotFound {
			t.Errorf("a disabled member switches: %v", err)
		}
	})
}

func TestEditOrganizationTimezoneImmutable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		before := snapshot(t, st)
		_, err := e.call("orgs.update", f.adminA, `{"name":"Nouveau nom","timezone":"America/Cayenne"}`)
		wantFields(t, err, map[string]string{"timezone": "timezone_immutable"})
		_, err = e.call("orgs.update", f.adminA, `{"name":" ","website":"mailto:a@b.fr"}`)
		wantFields(t, err, map[string]string{"name": "required", "website": "invalid_url"})
		if snapshot(t, st) != before {
			t.Fatal("a refused edit changed the database")
		}
		d := e.mustCall("orgs.update", f.adminA, fmt.Sprintf(`{"name":"Cabinet Martin & Fils","website":"http://martin.fr/accueil","timezone":"Europe/Paris","responsibleId":%q}`, f.memberAID)).Output.(OrgDetails)
		if d.Name != "Cabinet Martin & Fils" || d.Website != "http://martin.fr/accueil" || d.Timezone != "Europe/Paris" || d.Responsible == nil || d.Responsible.ID != f.memberAID {
			t.Fatalf("edited %+v", d)
		}
		ch := lastDetails(t, st, audit.OrgUpdated)["changes"].(map[string]any)
		if n := ch["name"].(map[string]any); n["from"] != "Cabinet Martin" || n["to"] != "Cabinet Martin & Fils" {
			t.Errorf("history of the name: %v", ch)
		}
		if r := ch["responsibleId"].(map[string]any); r["to"] != f.memberAID {
			t.Errorf("history of the responsible: %v", ch)
		}
		var tz string
		st.DB(context.Background()).Table("organizations").Where("id = ?", f.orgA).Pluck("timezone", &tz)
		if tz != "Europe/Paris" {
			t.Fatalf("timezone changed to %s", tz)
		}
		if d := e.mustCall("orgs.update", f.adminA, `{"responsibleId":""}`).Output.(OrgDetails); d.Responsible != nil {
			t.Errorf("responsible not cleared: %+v", d)
		}
	})
}

// TestClosedOrganizationRefusesEveryWrite enumerates the registry: every
// writing operation of an organization is refused with org_closed once it is
// closed, and changes nothing, except those allowed on a closed organization.
// The writing operations outside an organization's session are walked too:
// those whose input names an organization (an invitation's link) must be
// refused the same way when it is closed (intoOrgWrites), the others must say
// why they write into none (accountWrites), so a new one cannot be forgotten.
// Like the rights walker, it runs on SQLite only: the refusal is decided in
// Go before the organization is written, and a fresh PostgreSQL schema per
// operation would cost CI most of a minute.
func TestClosedOrganizationRefusesEveryWrite(t *testing.T) {
	writes := 0
	for _, op := range Describe().Operations() {
		if !op.Writes {
			continue
		}
		if op.Access != Member {
			into, named := intoOrgWrites[op.Name]
			if _, own := accountWrites[op.Name]; own == named {
				t.Errorf("%s writes outside an organization's session: put it in intoOrgWrites or (only if it never writes into an organization its input names) in accountWrites", op.Name)
				continue
			}
			if named {
				writes++
				t.Run(op.Name, func(t *testing.T) { closedIntoOrg(t, op.Name, into) })
			}
			continue
		}
		writes++
		c, ok := opCases[op.Name]
		if !ok || c.input == nil {
			t.Errorf("%s has no input case", op.Name)
			continue
		}
		t.Run(op.Name, func(t *testing.T) {
			f := newFixture(t, storetest.SQLite(t))
			in := c.input(f) // prepared while the organization is open
			f.env.mustCall("orgs.close", f.adminA, `{}`)
			before := snapshot(t, f.env.st)
			_, err := f.env.call(op.Name, f.adminA, in)
			if op.AllowClosed {
				if err != nil {
					t.Fatalf("allowed on a closed organization, yet refused: %v", err)
				}
				return
			}
			if domain.CodeOf(err) != domain.CodeOrgClosed {
				t.Errorf("got %v, want org_closed", err)
			}
			if snapshot(t, f.env.st) != before {
				t.Errorf("a refused write changed the database")
			}
		})
	}
	if writes < 10 {
		t.Fatalf("only %d writing operations found: the enumeration is broken", writes)
	}
	// Reads still work on a closed organization, and reopening restores writes.
	f := newFixture(t, storetest.SQLite(t))
	f.env.mustCall("orgs.close", f.adminA, `{}`)
	if d := f.env.mustCall("orgs.current", f.adminA, `{}`).Output.(OrgDetails); d.Status != domain.OrgClosed || d.ClosedAt == "" {
		t.Fatalf("closed organization reads %+v", d)
	}
	if info := f.env.mustCall("session.current", f.adminA, ``).Output.(SessionInfo); info.Organization.Status != domain.OrgClosed {
		t.Errorf("session does not tell the organization is closed: %+v", info.Organization)
	}
	f.env.mustCall("tasks.list", f.adminA, `{}`)
	f.env.mustCall("orgs.reopen", f.adminA, `{}`)
	f.env.mustCall("tasks.create", f.adminA, `{"title":"Après réouverture"}`)
	// Creating another organization is the account's own business, closed or not.
	f.env.mustCall("orgs.close", f.adminA, `{}`)
	f.env.mustCall("orgs.create", f.adminA, `{"name":"Nouvelle","timezone":"Europe/Paris"}`)
}

// intoOrgWrites: the writing operations that need no session in an
// organization but write into the one their input names. Each returns the
// session to call with and an input that writes into organization A.
var intoOrgWrites = map[string]func(f *fixture) (token, input string){
	"invitations.accept": func(f *fixture) (string, string) {
		return "", fmt.Sprintf(`{"token":%q,"title":"mme","firstName":"Léa","lastName":"Roux","password":"un mot de passe solide"}`, f.invitationLink("lea.roux@example.fr"))
	},
	"invitations.join": func(f *fixture) (string, string) {
		return f.adminB, fmt.Sprintf(`{"token":%q}`, f.invitationLink("bruno.durand@example.fr"))
	},
}

// accountWrites: the other writing operations outside an organization's
// session, and why none writes into an organization its input names.
var accountWrites = map[string]string{
	"setup.createWorkspace":      "the first run, before any organization exists",
	"account.updateProfile":      "the caller's own account",
	"account.setLanguage":        "the caller's own account",
	"account.changePassword":     "the caller's own account",
	"twoFactor.begin":            "the caller's own account",
	"twoFactor.confirm":          "the caller's own account",
	"twoFactor.disable":          "the caller's own account",
	"sessions.revoke":            "the caller's own sessions",
	"sessions.revokeOthers":      "the caller's own sessions",
	"notifications.set":          "the caller's own account",
	"orgs.switch":                "moves the caller's session; a closed organization can still be read",
	"orgs.create":                "makes a new organization",
	"auth.forgotPassword":        "an account's password, whatever its organizations",
	"auth.resetPassword":         "an account's password, whatever its organizations",
	"account.requestEmailChange": "the caller's own address",
	"account.confirmEmailChange": "an account's address, whatever its organizations",
	"account.requestDeletion":    "a person may always delete their own account, closed organization or not",
	"account.delete":             "a person may always delete their own account, closed organization or not",
}

// closedIntoOrg checks one operation of intoOrgWrites: its input works while
// organization A is open, and once A is closed the same input is refused
// with org_closed and changes nothing.
func closedIntoOrg(t *testing.T, op string, into func(f *fixture) (string, string)) {
	open := newFixture(t, storetest.SQLite(t))
	token, in := into(open)
	if _, err := open.env.call(op, token, in); err != nil {
		t.Fatalf("the case's input fails on an open organization: %v", err)
	}
	f := newFixture(t, storetest.SQLite(t))
	token, in = into(f) // prepared while the organization is open
	f.env.mustCall("orgs.close", f.adminA, `{}`)
	before := snapshot(t, f.env.st)
	_, err := f.env.call(op, token, in)
	if domain.CodeOf(err) != domain.CodeOrgClosed {
		t.Errorf("got %v, want org_closed", err)
	}
	if snapshot(t, f.env.st) != before {
		t.Errorf("a refused write changed the database")
	}
}

// invitationLink invites email into organization A straight in the store
// and returns the token of its link.
func (f *fixture) invitationLink(email string) string {
	now := time.Now().UTC()
	inv := store.Invitation{ID: domain.NewID(), OrgID: f.orgA, Email: email, RoleIDs: "[]", Rights: "[]", Language: "fr",
		Status: store.InvitationPending, CreatedAt: now, SentAt: now, ExpiresAt: now.Add(time.Hour)}
	token, hash := auth.NewToken()
	tok := store.MailToken{ID: domain.NewID(), Kind: store.TokenInvitation, TokenHash: hash, OrgID: &f.orgA, InvitationID: &inv.ID,
		CreatedAt: now, ExpiresAt: inv.ExpiresAt}
	for _, row := range []any{&inv, &tok} {
		if err := f.env.st.Create(context.Background(), row); err != nil {
			f.env.t.Fatal(err)
		}
	}
	return token
}

func TestCompanyProfile(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		if p := e.mustCall("company.get", f.memberA, `{}`).Output.(CompanyProfileView); p.SIRET != "" {
			t.Fatalf("empty profile %+v", p)
		}
		before := snapshot(t, st)
		bad := []struct {
			in   string
			want map[string]string
		}{
			{`{"siret":"732 829 320 00075","vat":"FR45732829320","postalCode":"7500","country":"FR"}`,
				map[string]string{"siret": "siret_check", "vat": "invalid_vat", "postalCode": "invalid_postal_code"}},
			{`{"siret":"732 829 320 0007"}`, map[string]string{"siret": "invalid_siret"}},
			{`{"siret":"55210055400013","vat":"FR44732829320"}`, map[string]string{"vat": "vat_siren_mismatch"}},
			{`{"country":"XX","mobilePhone":"06 12","companyPhone":"abc"}`,
				map[string]string{"country": "invalid_country", "mobilePhone": "invalid_phone", "companyPhone": "invalid_phone"}},
			{`{"postalCode":"75001"}`, map[string]string{"country": "required"}},
			{fmt.Sprintf(`{"legalName":%q,"address":%q,"city":%q}`, strings.Repeat("a", 101), strings.Repeat("a", 201), strings.Repeat("a", 101)),
				map[string]string{"legalName": "too_long:100", "address": "too_long:200", "city": "too_long:100"}},
		}
		for _, b := range bad {
			_, err := e.call("company.update", f.adminA, b.in)
			wantFields(t, err, b.want)
		}
		if snapshot(t, st) != before {
			t.Fatal("a refused profile changed the database")
		}
		p := e.mustCall("company.update", f.adminA, `{"legalName":"Cabinet Martin SARL","siret":"732.829.320.00074","vat":"fr 44 732 829 320","address":"1 rue de la Paix","postalCode":" 75002 ","city":"Paris","country":"fr","mobilePhone":"06 12 34 56 78","companyPhone":"01.23.45.67.89"}`).Output.(CompanyProfileView)
		if p.SIRET != "73282932000074" || p.VAT != "FR44732829320" || p.PostalCode != "75002" || p.Country != "FR" ||
			p.MobilePhone != "+33612345678" || p.CompanyPhone != "+33123456789" || p.CompanyPhoneNational != "01 23 45 67 89" {
			t.Fatalf("saved %+v", p)
		}
		d := lastDetails(t, st, audit.CompanyProfileChanged)
		ch := d["changes"].(map[string]any)
		if s := ch["siret"].(map[string]any); s["from"] != "" || s["to"] != "73282932000074" {
			t.Errorf("history of the SIRET: %v", ch)
		}
		if _, logged := ch["mobilePhone"]; logged || !strings.Contains(fmt.Sprint(d["fields"]), "mobilePhone") {
			t.Errorf("the mobile phone must be named, not logged by value: %v", d)
		}
		if raw, _ := json.Marshal(d); strings.Contains(string(raw), "+33612345678") {
			t.Errorf("a person's phone is in the history: %s", raw)
		}
		// La Poste's SIRET failing Luhn is accepted; a NL postal code gets its space.
		p = e.mustCall("company.update", f.adminA, `{"siret":"356 000 000 00010","vat":"FR39356000000","postalCode":"1234ab","country":"NL"}`).Output.(CompanyProfileView)
		if p.SIRET != "35600000000010" || p.PostalCode != "1234 AB" || p.LegalName != "" {
			t.Errorf("second save %+v", p)
		}
		n := count(t, st, "audit_events")
		e.mustCall("company.update", f.adminA, `{"siret":"35600000000010","vat":"FR39356000000","postalCode":"1234 AB","country":"NL"}`)
		if count(t, st, "audit_events") != n {
			t.Error("an unchanged profile was recorded")
		}
		// Another organization's admin sees its own, empty profile.
		if p := e.mustCall("company.get", f.adminB, `{}`).Output.(CompanyProfileView); p.SIRET != "" {
			t.Errorf("B sees A's profile %+v", p)
		}
	})
}

func TestTasks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.env
		grantDirect(t, st, f.orgA, f.memberOf(f.memberAID), domain.RightTasksView) // so Claire may be given tasks
		before := snapshot(t, st)
		_, err := e.call("tasks.create", f.adminA, fmt.Sprintf(`{"title":" ","dueDate":"2030-02-30","assigneeId":%q}`, f.adminBID))
		wantFields(t, err, map[string]string{"title": "required", "dueDate": "invalid_date", "assigneeId": "invalid_member"})
		_, err = e.call("tasks.create", f.adminA, fmt.Sprintf(`{"title":%q,"dueDate":"31/01/2030"}`, strings.Repeat("t", 201)))
		wantFields(t, err, map[string]string{"title": "too_long:200", "dueDate": "invalid_date"})
		if snapshot(t, st) != before {
			t.Fatal("a refused task changed the database")
		}
		t1 := e.mustCall("tasks.create", f.adminA, fmt.Sprintf(`{"title":"Relancer le client","dueDate":"2030-01-31","assigneeId":%q}`, f.memberAID)).Output.(Task)
		if t1.Status != "open" || t1.Assignee == nil || t1.Assignee.ID != f.memberAID || t1.Creator == nil || t1.Creator.ID != f.adminAID || t1.DueDate != "2030-01-31" {
			t.Fatalf("created %+v", t1)
		}
		t2 := e.mustCall("tasks.create", f.adminA, `{"title":"Classer les factures"}`).Output.(Task)
		e.mustCall("tasks.create", f.adminB, `{"title":"Tâche de B"}`)

		list := func(q string) TaskPage { return e.mustCall("tasks.list", f.adminA, q).Output.(TaskPage) }
		if p := list(`{}`); p.Total != 2 || p.Items[0].ID != t1.ID { // by due date, none last
			t.Fatalf("list %+v", p)
		}
		if p := list(fmt.Sprintf(`{"assigneeId":%q}`, f.memberAID)); p.Total != 1 || p.Items[0].ID != t1.ID {
			t.Errorf("by assignee %+v", p)
		}
		if p := list(`{"assigneeId":"none"}`); p.Total != 1 || p.Items[0].ID != t2.ID {
			t.Errorf("unassigned %+v", p)
		}
		done := e.mustCall("tasks.complete", f.adminA, fmt.Sprintf(`{"id":%q}`, t1.ID)).Output.(Task)
		if done.Status != "done" || done.CompletedAt == "" {
			t.Fatalf("completed %+v", done)
		}
		if p := list(`{"status":"done"}`); p.Total != 1 || p.Items[0].ID != t1.ID {
			t.Errorf("done %+v", p)
		}
		if p := list(fmt.Sprintf(`{"status":"open","assigneeId":%q}`, f.memberAID)); p.Total != 0 {
			t.Errorf("open for member %+v", p)
		}
		if p := list(`{"limit":1,"offset":1}`); p.Total != 2 || len(p.Items) != 1 || p.Items[0].ID != t2.ID {
			t.Errorf("page 2 %+v", p)
		}
		_, err = e.call("tasks.list", f.adminA, `{"status":"late"}`)
		wantFields(t, err, map[string]string{"status": "invalid_choice"})
		re := e.mustCall("tasks.reopen", f.adminA, fmt.Sprintf(`{"id":%q}`, t1.ID)).Output.(Task)
		if re.Status != "open" || re.CompletedAt != "" {
			t.Fatalf("reopened %+v", re)
		}
		ed := e.mustCall("tasks.update", f.adminA, fmt.Sprintf(`{"id":%q,"title":"Relancer le client Dupont","dueDate":"","assigneeId":""}`, t1.ID)).Output.(Task)
		if ed.Title != "Relancer le client Dupont" || ed.DueDate != "" || ed.Assignee != nil || ed.Creator.ID != f.adminAID {
			t.Fatalf("edited %+v", ed)
		}
		ch := lastDetails(t, st, audit.TaskUpdated)["changes"].(map[string]any)
		if a := ch["assigneeId"].(map[string]any); a["from"] != f.memberAID || a["to"] != "" {
			t.Errorf("history of the edit %v", ch)
		}
		// B cannot reach A's task by its ID; A cannot see B's.
		before = snapshot(t, st)
		for _, op := range []string{"tasks.complete", "tasks.reopen"} {
			if _, err := e.call(op, f.adminB, fmt.Sprintf(`{"id":%q}`, t1.ID)); domain.CodeOf(err) != domain.CodeNotFound {
				t.Errorf("%s of A's task by B: %v", op, err)
			}
		}
		if _, err := e.call("tasks.update", f.adminB, fmt.Sprintf(`{"id":%q,"title":"pris"}`, t1.ID)); domain.CodeOf(err) != domain.CodeNotFound {
			t.Errorf("edit of A's task by B: %v", err)
		}
		if snapshot(t, st) != before {
			t.Fatal("B changed A's task")
		}
		if p := list(`{"limit":100}`); p.Total != 2 {
			t.Errorf("A sees %d tasks", p.Total)
		}
		if as := e.mustCall("tasks.assignees", f.adminA, `{}`).Output.(TaskAssignees); len(as.Items) != 2 || as.Hidden != 0 {
			t.Errorf("assignees %+v", as)
		}
	})
}

// A mobile field refuses a landline and keeps what was there; the company's
// own phone takes one.
func TestMobileFieldsRefuseALandline(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	e := f.env
	e.mustCall("account.updateProfile", f.adminA, `{"mobilePhone":"06 12 34 56 78"}`)
	_, err := e.call("account.updateProfile", f.adminA, `{"mobilePhone":"01 42 68 53 00"}`)
	if fieldsOf(t, err)["mobilePhone"] != domain.FieldNotMobile {
		t.Fatalf("a landline as mobile: %v", err)
	}
	if acc := e.mustCall("session.current", f.adminA, "").Output.(SessionInfo).Account; acc.MobilePhone != "+33612345678" {
		t.Errorf("the refused number replaced the mobile: %q", acc.MobilePhone)
	}
	_, err = e.call("company.update", f.adminA, `{"legalName":"Cabinet Martin SARL","mobilePhone":"01 42 68 53 00","companyPhone":"01 42 68 53 00"}`)
	if fields := fieldsOf(t, err); fields["mobilePhone"] != domain.FieldNotMobile || fields["companyPhone"] != "" {
		t.Fatalf("company phones: %v", fields)
	}
}
