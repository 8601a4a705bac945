package domain

// Right is one entry of the fixed rights catalog.
type Right string

// The rights catalog. It is the single list: roles, checks and the console
// all read it. Groups name the application a right belongs to.
const (
	RightMembersView      Right = "members.view"
	RightMembersInvite    Right = "members.invite"
	RightMembersEdit      Right = "members.edit"
	RightMembersDisable   Right = "members.disable"
	RightMembersDelete    Right = "members.delete"
	RightRightsEdit       Right = "rights.edit"
	RightOrgEdit          Right = "org.edit"
	RightOrgDelete        Right = "org.delete"
	RightAuditView        Right = "audit.view"
	RightPrivacyAnonymize Right = "privacy.anonymize"
	RightAPIManage        Right = "api.manage"
	RightOrdersPlace      Right = "orders.place"
	RightInvoicesView     Right = "invoices.view"
	RightBillingManage    Right = "billing.manage"
	RightTasksView        Right = "tasks.view"
	RightTasksManage      Right = "tasks.manage"
	// Applications (SPEC B7): managing them, and one group per application
	// of the application catalog (catalog.go).
	RightApplicationsManage Right = "applications.manage"
	RightInvoicingView      Right = "invoicing.view"
	RightInvoicingIssue     Right = "invoicing.issue"
	RightExpensesSubmit     Right = "expenses.submit"
	RightExpensesApprove    Right = "expenses.approve"
	RightBankView           Right = "bank.view"
	RightPayrollView        Right = "payroll.view"
	RightDocumentsView      Right = "documents.view"
	RightDocumentsEdit      Right = "documents.edit"
)

// NotBuilt holds the rights of the catalog whose feature Atrium does not have
// yet (anonymization, API keys, subscription and orders): the console does
// not show them, since a right that leads to nothing would mislead.
var NotBuilt = map[Right]bool{
	RightPrivacyAnonymize: true, RightAPIManage: true,
	RightOrdersPlace: true, RightInvoicesView: true, RightBillingManage: true,
}

// RightGroup is one application's block of rights in the catalog.
type RightGroup struct {
	Application string
	Rights      []Right
}

// Catalog lists every right, grouped by application, in display order.
var Catalog = []RightGroup{
	{Application: "administration", Rights: []Right{
		RightMembersView, RightMembersInvite, RightMembersEdit, RightMembersDisable, RightMembersDelete,
		RightRightsEdit, RightOrgEdit, RightOrgDelete, RightAuditView, RightPrivacyAnonymize, RightAPIManage,
		RightApplicationsManage,
	}},
	{Application: "commerce", Rights: []Right{RightOrdersPlace, RightInvoicesView, RightBillingManage}},
	{Application: AppInvoicing, Rights: []Right{RightInvoicingView, RightInvoicingIssue}},
	{Application: AppExpenses, Rights: []Right{RightExpensesSubmit, RightExpensesApprove}},
	{Application: AppBank, Rights: []Right{RightBankView}},
	{Application: AppPayroll, Rights: []Right{RightPayrollView}},
	{Application: AppDocuments, Rights: []Right{RightDocumentsView, RightDocumentsEdit}},
	{Application: "tasks", Rights: []Right{RightTasksView, RightTasksManage}},
}

// GroupOf names the group (an application, or another block) of a right of
// the catalog; "" for a right not in it.
func GroupOf(r Right) string {
	for _, g := range Catalog {
		for _, x := range g.Rights {
			if x == r {
				return g.Application
			}
		}
	}
	return ""
}

// AllRights returns every right of the catalog.
func AllRights() []Right {
	var all []Right
	for _, g := range Catalog {
		all = append(all, g.Rights...)
	}
	return all
}

// KnownRight reports whether r is in the catalog.
func KnownRight(r Right) bool {
	for _, g := range Catalog {
		for _, x := range g.Rights {
			if x == r {
				return true
			}
		}
	}
	return false
}

// CanGive reports whether the actor may give a right to someone else, or
// take it from them (SPEC C11): an admin every right; any other member only
// the rights they hold, and never rights.edit, which only an admin gives, so
// that the right to edit rights never leads to more rights.
func (a Actor) CanGive(r Right) bool {
	return a.IsAdmin || (r != RightRightsEdit && a.Rights[r])
}
