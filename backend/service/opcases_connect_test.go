package service

import (
	"context"
	"fmt"
	"time"

	"atrium/backend/domain"
	"atrium/backend/store"
)

// Cases for the walk of TestEveryOperationChecksRights: the desktop's
// connection operations act on the desktop, not on an organization's
// records; a discard needs a refused change of the caller's to discard.
func init() {
	for _, name := range []string{"sync.status", "sync.probe", "sync.connect", "sync.disconnect", "sync.refused", "sync.retry", "sync.localDossiers"} {
		opCases[name] = opCase{}
	}
	textBases["sync.probe"] = func(*fixture) string { return `{"server":"https://atrium.cabinet.fr"}` }
	textBases["sync.connect"] = func(*fixture) string {
		return `{"server":"https://atrium.cabinet.fr","fingerprint":"ab01","email":"anne@example.fr","password":"un mot de passe solide","pendingToken":"","code":""}`
	}
	textBases["sync.retry"] = func(*fixture) string { return `{"id":"0190a1b2-0000-7000-8000-000000000101"}` }
	opCases["sync.discard"] = opCase{input: func(f *fixture) string {
		id := refusedOnServer(f.env, f.adminAID, f.orgA, "tasks.create")
		return fmt.Sprintf(`{"id":%q}`, id)
	}}
}

// refusedOnServer records, as the server does, a pushed operation of
// accountID in orgID that was refused for a missing title.
func refusedOnServer(e *env, accountID, orgID, op string) string {
	e.t.Helper()
	id := domain.NewID()
	org := orgID
	rec := store.ReplayedOperation{ID: id, AccountID: accountID, Op: op, OrgID: &org, At: time.Now().UTC()}
	if err := e.st.RecordReplayRefused(context.Background(), rec, `{"code":"validation","message":"","fields":{"title":"required"}}`); err != nil {
		e.t.Fatal(err)
	}
	return id
}
