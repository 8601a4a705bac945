package service

import (
	"testing"

	"atrium/backend/domain"
)

// authorize is the single gate of every door; these are its rules.
func TestAuthorize(t *testing.T) {
	member := domain.Actor{AccountID: "a", OrgID: "o", Rights: map[domain.Right]bool{domain.RightInvoicesView: true}}
	closed := member
	closed.OrgClosed = true
	admin := domain.Actor{AccountID: "a", OrgID: "o", IsAdmin: true, Rights: map[domain.Right]bool{}}
	outsider := domain.Actor{AccountID: "a", OrgID: "o"} // no active membership: no rights map
	mustEnroll := admin
	mustEnroll.MustEnrollTwoFactor = true
	read := &Operation{Access: Member, Right: domain.RightInvoicesView}
	write := &Operation{Access: Member, Right: domain.RightInvoicesView, Writes: true}
	reopen := &Operation{Access: Member, Right: domain.RightInvoicesView, Writes: true, AllowClosed: true}
	edit := &Operation{Access: Member, Right: domain.RightOrgEdit, Writes: true}
	self := &Operation{Access: SignedIn, Writes: true}
	cases := []struct {
		name  string
		op    *Operation
		actor domain.Actor
		want  domain.Code
	}{
		{"right held", read, member, ""},
		{"right missing", edit, member, domain.CodeForbidden},
		{"admin holds every right", edit, admin, ""},
		{"not an active member", read, outsider, domain.CodeForbidden},
		{"closed organization can be read", read, closed, ""},
		{"closed organization refuses writes", write, closed, domain.CodeOrgClosed},
		{"reopening is allowed on a closed organization", reopen, closed, ""},
		{"own account is not an organization's write", self, closed, ""},
		{"two-step sign-in required and missing", read, mustEnroll, domain.CodeTwoFactorRequired},
		{"two-step sign-in required: own account stays open", self, mustEnroll, ""},
	}
	for _, c := range cases {
		err := authorize(c.op, c.actor)
		got := domain.Code("")
		if err != nil {
			got = domain.CodeOf(err)
		}
		if got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}
