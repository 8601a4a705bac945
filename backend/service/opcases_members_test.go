package service

import (
	"context"
	"fmt"
	"testing"
	"time"

	"atrium/backend/domain"
	"atrium/backend/store"
)

// Cases for the walk of TestEveryOperationChecksRights: members, roles,
// rights and applications. Inputs act on organization A's own
// member (memberA) and roles, so org B's admin must get not_found.
func init() {
	opCases["rights.catalog"] = opCase{input: func(*fixture) string { return `{}` }}
	opCases["roles.list"] = opCase{input: func(*fixture) string { return `{}` }}
	opCases["members.list"] = opCase{input: func(*fixture) string { return `{"query":"claire","withTotal":true}` }}
	opCases["members.export"] = opCase{crossOrg: true, input: func(f *fixture) string {
		return fmt.Sprintf(`{"query":"claire","roleId":%q}`, f.customRole(f.memberOf(f.memberAID)))
	}}
	opCases["applications.list"] = opCase{input: func(*fixture) string { return `{}` }}
	opCases["account.applications"] = opCase{}
	opCases["roles.create"] = opCase{input: func(*fixture) string {
		return `{"name":"Comptable","rights":["invoices.view"]}`
	}}
	opCases["applications.setEnabled"] = opCase{input: func(*fixture) string {
		return `{"application":"invoicing","enabled":true}`
	}}
	opCases["roles.update"] = opCase{crossOrg: true, input: func(f *fixture) string {
		return fmt.Sprintf(`{"roleId":%q,"name":"Comptables","rights":["invoices.view","orders.place"]}`, f.customRole(""))
	}, selfInput: func(f *fixture) string { // a role the rights editor holds, given more
		return fmt.Sprintf(`{"roleId":%q,"name":"Assistants","rights":["invoices.view","orders.place","org.delete"]}`, f.customRole(f.memberOf(f.memberAID)))
	}}
	opCases["roles.delete"] = opCase{crossOrg: true, input: func(f *fixture) string {
		return fmt.Sprintf(`{"roleId":%q}`, f.customRole(f.memberOf(f.memberAID)))
	}}
	opCases["members.get"] = opCase{crossOrg: true, input: func(f *fixture) string {
		return fmt.Sprintf(`{"memberId":%q}`, f.memberOf(f.memberAID))
	}}
	opCases["members.update"] = opCase{crossOrg: true, input: func(f *fixture) string {
		return fmt.Sprintf(`{"memberId":%q,"firstName":"Claire","lastName":"Petit-Renaud","employeeRef":"E-042","jobTitle":"Comptable"}`, f.memberOf(f.memberAID))
	}}
	opCases["members.setRoles"] = opCase{crossOrg: true, input: func(f *fixture) string {
		return fmt.Sprintf(`{"memberId":%q,"roleIds":[%q]}`, f.memberOf(f.memberAID), f.customRole(""))
	}}
	opCases["members.removeRole"] = opCase{crossOrg: true, input: func(f *fixture) string {
		m := f.memberOf(f.memberAID)
		return fmt.Sprintf(`{"memberId":%q,"roleId":%q}`, m, f.customRole(m))
	}}
	opCases["members.setRight"] = opCase{crossOrg: true, input: func(f *fixture) string {
		return fmt.Sprintf(`{"memberId":%q,"right":"invoices.view","granted":true}`, f.memberOf(f.memberAID))
	}}
	opCases["members.setAway"] = opCase{crossOrg: true, input: func(f *fixture) string {
		return fmt.Sprintf(`{"memberId":%q,"returnsOn":"2999-01-04","delegateId":%q}`, f.memberOf(f.memberAID), f.memberOf(f.adminAID))
	}}
	opCases["members.endAway"] = opCase{crossOrg: true, input: func(f *fixture) string {
		m := f.memberOf(f.memberAID)
		f.setAway(m, f.adminAID)
		return fmt.Sprintf(`{"memberId":%q}`, m)
	}}
	opCases["members.disable"] = opCase{crossOrg: true, input: func(f *fixture) string {
		return fmt.Sprintf(`{"memberId":%q}`, f.memberOf(f.memberAID))
	}}
	opCases["members.enable"] = opCase{crossOrg: true, input: func(f *fixture) string {
		m := f.memberOf(f.memberAID)
		f.setStatus(m, domain.MemberDisabled)
		return fmt.Sprintf(`{"memberId":%q}`, m)
	}}
	opCases["members.succession"] = opCase{crossOrg: true, input: func(f *fixture) string {
		return fmt.Sprintf(`{"memberId":%q}`, f.memberOf(f.memberAID))
	}}
	opCases["members.delete"] = opCase{crossOrg: true, input: func(f *fixture) string {
		return fmt.Sprintf(`{"memberId":%q,"successorId":%q}`, f.memberOf(f.memberAID), f.memberOf(f.adminAID))
	}}
	opCases["applications.grant"] = opCase{crossOrg: true, input: func(f *fixture) string {
		f.enableApp(f.orgA, domain.AppInvoicing)
		return fmt.Sprintf(`{"memberId":%q,"application":"invoicing","granted":true}`, f.memberOf(f.memberAID))
	}}
}

// memberOf returns the membership ID of an account in organization A.
func (f *fixture) memberOf(accountID string) string {
	m, err := f.env.st.MemberByAccount(context.Background(), f.orgA, accountID)
	if err != nil {
		f.env.t.Fatal(err)
	}
	return m.ID
}

// customRole creates a role "Assistant" (invoices.view) in organization A,
// given to memberID when one is named, and returns its ID.
func (f *fixture) customRole(memberID string) string {
	return createRole(f.env.t, f.env.st, f.orgA, "Assistant", memberID, domain.RightInvoicesView)
}

func createRole(t *testing.T, st *store.Store, orgID, name, memberID string, rights ...domain.Right) string {
	t.Helper()
	ctx := context.Background()
	role := domain.Role{ID: domain.NewID(), OrgID: orgID, Name: name, CreatedAt: time.Now().UTC()}
	rows := []any{&role}
	for _, r := range rights {
		rows = append(rows, &domain.RoleRight{RoleID: role.ID, RightName: r, OrgID: orgID})
	}
	if memberID != "" {
		rows = append(rows, &domain.MembershipRole{MembershipID: memberID, RoleID: role.ID, OrgID: orgID})
	}
	for _, r := range rows {
		if err := st.Create(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	return role.ID
}

func (f *fixture) setStatus(memberID, status string) {
	if err := f.env.st.UpdateMember(context.Background(), f.orgA, memberID, map[string]any{"status": status}); err != nil {
		f.env.t.Fatal(err)
	}
}

// setAway marks a member of organization A away with no return date.
func (f *fixture) setAway(memberID, delegateID string) {
	m, err := f.env.st.MemberByID(context.Background(), f.orgA, memberID)
	if err == nil {
		err = f.env.st.SaveAbsence(context.Background(), store.Absence{MembershipID: m.ID, OrgID: f.orgA, AccountID: m.AccountID,
			DelegateID: &delegateID, CreatedAt: time.Now().UTC()})
	}
	if err != nil {
		f.env.t.Fatal(err)
	}
}

func (f *fixture) enableApp(orgID, app string) {
	if _, err := f.env.st.SetApplicationEnabled(context.Background(), orgID, app, true); err != nil {
		f.env.t.Fatal(err)
	}
}
