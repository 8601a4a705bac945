package service

import "fmt"

// Cases for the walk of TestEveryOperationChecksRights: organizations,
// company profile and tasks.
func init() {
	for _, name := range []string{"orgs.list", "orgs.switch", "orgs.create"} {
		opCases[name] = opCase{} // signed-in: about the account itself
	}
	none := func(*fixture) string { return `{}` }
	opCases["orgs.current"] = opCase{input: none}
	opCases["orgs.members"] = opCase{input: none}
	opCases["orgs.update"] = opCase{input: func(*fixture) string { return `{"name":"Cabinet Martin et associés","website":"cabinet-martin.fr"}` }}
	opCases["orgs.close"] = opCase{input: none}
	opCases["orgs.reopen"] = opCase{input: none}
	opCases["company.get"] = opCase{input: none}
	opCases["company.update"] = opCase{input: func(*fixture) string {
		return `{"legalName":"Cabinet Martin SARL","siret":"732 829 320 00074","vat":"FR44732829320","address":"1 rue de la Paix","postalCode":"75002","city":"Paris","country":"FR","mobilePhone":"06 12 34 56 78","companyPhone":"01.23.45.67.89"}`
	}}
	opCases["tasks.list"] = opCase{input: func(f *fixture) string { return fmt.Sprintf(`{"assigneeId":%q,"status":"open"}`, f.memberAID) }}
	opCases["tasks.assignees"] = opCase{input: none}
	opCases["tasks.create"] = opCase{input: func(f *fixture) string {
		return fmt.Sprintf(`{"title":"Relancer le client","dueDate":"2030-01-31","assigneeId":%q}`, f.adminAID)
	}}
	taskOfA := func(f *fixture) string {
		return f.env.mustCall("tasks.create", f.adminA, `{"title":"Préparer la TVA","dueDate":"2030-01-31","assigneeId":"","repeat":"monthly"}`).Output.(Task).ID
	}
	opCases["tasks.update"] = opCase{crossOrg: true, input: func(f *fixture) string {
		return fmt.Sprintf(`{"id":%q,"title":"Préparer la TVA de mars","dueDate":"2030-03-31","assigneeId":%q}`, taskOfA(f), f.adminAID)
	}}
	opCases["tasks.complete"] = opCase{crossOrg: true, input: func(f *fixture) string { return fmt.Sprintf(`{"id":%q}`, taskOfA(f)) }}
	opCases["tasks.reopen"] = opCase{crossOrg: true, input: func(f *fixture) string {
		id := taskOfA(f)
		f.env.mustCall("tasks.complete", f.adminA, fmt.Sprintf(`{"id":%q}`, id))
		return fmt.Sprintf(`{"id":%q}`, id)
	}}
}

// The home page is about the account itself, across its organizations.
func init() { opCases["home.summary"] = opCase{} }
