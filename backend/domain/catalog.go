package domain

// Text is a sentence in each interface language.
type Text struct {
	Fr string `json:"fr"`
	En string `json:"en"`
}

// In returns the words in a language: French unless "en".
func (t Text) In(lang string) string {
	if lang == "en" {
		return t.En
	}
	return t.Fr
}

// RightText is how the console names and explains one right.
type RightText struct {
	Label       Text
	Description Text
}

// Applications of the application catalog (SPEC B7, A8). Each is enabled per
// organization and granted per member; each has its own group of rights.
const (
	AppInvoicing = "invoicing"
	AppExpenses  = "expenses"
	AppBank      = "bank"
	AppPayroll   = "payroll"
	AppDocuments = "documents"
)

// Application is one entry of the application catalog.
type Application struct {
	Key         string
	Name        Text
	Description Text
}

// Applications lists the application catalog in display order.
var Applications = []Application{
	{AppInvoicing, Text{"Facturation", "Invoicing"}, Text{"Devis et factures clients, relances.", "Quotes and customer invoices, reminders."}},
	{AppExpenses, Text{"Notes de frais", "Expense reports"}, Text{"Saisie et validation des notes de frais.", "Submitting and approving expense reports."}},
	{AppBank, Text{"Banque", "Bank"}, Text{"Comptes bancaires et rapprochement.", "Bank accounts and reconciliation."}},
	{AppPayroll, Text{"Paie", "Payroll"}, Text{"Bulletins de paie et déclarations sociales.", "Payslips and social declarations."}},
	{AppDocuments, Text{"Documents", "Documents"}, Text{"Classement et partage des documents du dossier.", "Filing and sharing the dossier's documents."}},
}

// KnownApplication reports whether key names an application of the catalog.
func KnownApplication(key string) bool {
	for _, a := range Applications {
		if a.Key == key {
			return true
		}
	}
	return false
}

// GroupNames names the groups of the rights catalog that are not applications.
var GroupNames = map[string]Text{
	"administration": {"Administration", "Administration"},
	"commerce":       {"Abonnement et commandes", "Subscription and orders"},
	"tasks":          {"Tâches", "Tasks"},
}

// GroupName returns the display name of a rights group.
func GroupName(group string) Text {
	if t, ok := GroupNames[group]; ok {
		return t
	}
	for _, a := range Applications {
		if a.Key == group {
			return a.Name
		}
	}
	return Text{group, group}
}

// RightTexts names and explains every right of the catalog. A test checks
// that no right is left without its texts.
var RightTexts = map[Right]RightText{
	RightMembersView: {Text{"Voir les membres", "View members"},
		Text{"Consulter la liste des membres, leurs rôles et leurs droits.", "See the member list, their roles and rights."}},
	RightMembersInvite: {Text{"Inviter des membres", "Invite members"},
		Text{"Envoyer des invitations à rejoindre l'organisation.", "Send invitations to join the organization."}},
	RightMembersEdit: {Text{"Modifier les membres", "Edit members"},
		Text{"Modifier le nom, le matricule et la fonction des membres.", "Edit members' name, employee reference and job title."}},
	RightMembersDisable: {Text{"Désactiver des membres", "Disable members"},
		Text{"Suspendre ou rétablir l'accès d'un membre.", "Suspend or restore a member's access."}},
	RightMembersDelete: {Text{"Supprimer des membres", "Delete members"},
		Text{"Retirer définitivement un membre de l'organisation.", "Remove a member from the organization for good."}},
	RightRightsEdit: {Text{"Gérer les rôles et les droits", "Manage roles and rights"},
		Text{"Créer des rôles, les attribuer et accorder des droits.", "Create roles, assign them and grant rights."}},
	RightOrgEdit: {Text{"Modifier l'organisation", "Edit the organization"},
		Text{"Modifier le nom, le site et le profil de l'entreprise.", "Edit the name, website and company profile."}},
	RightOrgDelete: {Text{"Supprimer l'organisation", "Delete the organization"},
		Text{"Supprimer définitivement l'organisation et ses données.", "Delete the organization and its data for good."}},
	RightAuditView: {Text{"Consulter l'historique", "View the history"},
		Text{"Voir qui a fait quoi, quand et depuis quel appareil.", "See who did what, when and from which device."}},
	RightPrivacyAnonymize: {Text{"Anonymiser des données", "Anonymize data"},
		Text{"Rendre illisibles les données personnelles des anciens membres.", "Make former members' personal data unreadable."}},
	RightAPIManage: {Text{"Gérer les accès API", "Manage API access"},
		Text{"Créer et révoquer des jetons d'accès personnels.", "Create and revoke personal access tokens."}},
	RightApplicationsManage: {Text{"Gérer les applications", "Manage applications"},
		Text{"Activer les applications et choisir qui les utilise.", "Enable applications and choose who uses them."}},
	RightOrdersPlace: {Text{"Passer des commandes", "Place orders"},
		Text{"Commander une application ou des licences supplémentaires.", "Order an application or more seats."}},
	RightInvoicesView: {Text{"Voir les factures", "View invoices"},
		Text{"Consulter et télécharger les factures d'abonnement.", "See and download subscription invoices."}},
	RightBillingManage: {Text{"Gérer l'abonnement", "Manage the subscription"},
		Text{"Modifier les abonnements et les moyens de paiement.", "Change subscriptions and payment methods."}},
	RightTasksView: {Text{"Voir les tâches", "View tasks"},
		Text{"Consulter les tâches de l'organisation.", "See the organization's tasks."}},
	RightTasksManage: {Text{"Gérer les tâches", "Manage tasks"},
		Text{"Créer, attribuer et terminer des tâches.", "Create, assign and complete tasks."}},
	RightInvoicingView: {Text{"Consulter la facturation", "View invoicing"},
		Text{"Voir les devis et les factures clients.", "See quotes and customer invoices."}},
	RightInvoicingIssue: {Text{"Émettre des factures", "Issue invoices"},
		Text{"Créer et envoyer des devis et des factures clients.", "Create and send quotes and customer invoices."}},
	RightExpensesSubmit: {Text{"Saisir des notes de frais", "Submit expense reports"},
		Text{"Déclarer ses propres dépenses professionnelles.", "Declare one's own business expenses."}},
	RightExpensesApprove: {Text{"Valider les notes de frais", "Approve expense reports"},
		Text{"Accepter ou refuser les notes de frais de l'équipe.", "Accept or refuse the team's expense reports."}},
	RightBankView: {Text{"Consulter la banque", "View bank accounts"},
		Text{"Voir les comptes et les opérations bancaires.", "See bank accounts and transactions."}},
	RightPayrollView: {Text{"Consulter la paie", "View payroll"},
		Text{"Voir les bulletins de paie et les déclarations.", "See payslips and declarations."}},
	RightDocumentsView: {Text{"Consulter les documents", "View documents"},
		Text{"Ouvrir les documents du dossier.", "Open the dossier's documents."}},
	RightDocumentsEdit: {Text{"Gérer les documents", "Manage documents"},
		Text{"Déposer, classer et supprimer des documents.", "Upload, file and delete documents."}},
}
