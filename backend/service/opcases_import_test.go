package service

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
)

// Cases for the walk of TestEveryOperationChecksRights: the member import.
// The file invites a new person with organization A's role, and changes the
// job title and roles of A's member; the import's plan hash is the dry run's
// of whoever the case is for (A's admin; the rights editor for selfInput).
func init() {
	opCases["members.importCheck"] = opCase{input: func(f *fixture) string {
		return importInput(f, "")
	}}
	opCases["members.importProgress"] = opCase{input: func(*fixture) string { return `{}` }}
	opCases["members.import"] = opCase{input: func(f *fixture) string {
		return importWithPlan(f, f.adminA, importInput(f, ""))
	}, selfInput: func(f *fixture) string { // the rights editor gives the Admin role and their own roles
		extra := fmt.Sprintf("Eve;Complice;complice@example.fr;;;%s\r\nClaire;Petit;claire.petit@example.fr;;;Assistant, %s\r\n", AdminRoleName, AdminRoleName)
		return importWithPlan(f, f.memberA, importInput(f, extra))
	}}
}

// importInput is a file as French Excel writes it, for organization A (its
// role "Assistant" created here), base64-encoded.
func importInput(f *fixture, extra string) string {
	f.customRole("")
	file := "\ufeffPrénom;Nom;E-mail;Poste;Référence;Rôles;Statut\r\n" +
		"Léa;Roux;lea.roux@example.fr;Comptable;E-7;Assistant;\r\n" +
		"Claire;Petit;claire.petit@example.fr;Assistante;E-42;;Actif\r\n" + extra
	return fmt.Sprintf(`{"content":%q}`, base64.StdEncoding.EncodeToString([]byte(file)))
}

// importWithPlan adds to an import's input the hash of the plan the dry run
// gives the session token.
func importWithPlan(f *fixture, token, in string) string {
	res, err := f.env.call("members.importCheck", token, in)
	if err != nil {
		f.env.t.Fatalf("members.importCheck: %v", err)
	}
	var m map[string]any
	_ = json.Unmarshal([]byte(in), &m)
	m["planHash"] = res.Output.(ImportPlan).PlanHash
	b, _ := json.Marshal(m)
	return string(b)
}
