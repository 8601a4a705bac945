package audit

import "atrium/backend/domain"

// ActionGroup is a kind of actions, as the history screen's filter groups them.
type ActionGroup struct {
	Key   string
	Label domain.Text
}

// ActionText is how people read one action: in the console, in the CSV
// export, in both languages.
type ActionText struct {
	Code  string
	Group string
	Label domain.Text
}

// ActionGroups lists the kinds of actions in display order.
var ActionGroups = []ActionGroup{
	{"security", domain.Text{Fr: "Connexion et sécurité", En: "Sign-in and security"}},
	{"account", domain.Text{Fr: "Compte", En: "Account"}},
	{"organization", domain.Text{Fr: "Organisation", En: "Organization"}},
	{"members", domain.Text{Fr: "Membres et droits", En: "Members and rights"}},
	{"roles", domain.Text{Fr: "Rôles", En: "Roles"}},
	{"applications", domain.Text{Fr: "Applications", En: "Applications"}},
	{"invitations", domain.Text{Fr: "Invitations", En: "Invitations"}},
	{"mail", domain.Text{Fr: "E-mails", En: "Email"}},
	{"tasks", domain.Text{Fr: "Tâches", En: "Tasks"}},
	{"history", domain.Text{Fr: "Historique", En: "History"}},
	{"sync", domain.Text{Fr: "Synchronisation", En: "Sync"}},
}

// Actions lists every action of the history, grouped, in display order, with
// its words. It is the one list: the history filter offers it, the export
// writes its words, atrium-gen gives it to the console. A test checks that
// every action declared in audit.go is here.
var Actions = []ActionText{
	{SignInSucceeded, "security", domain.Text{Fr: "Connexion", En: "Signed in"}},
	{SignInFailed, "security", domain.Text{Fr: "Échec de connexion", En: "Failed sign-in"}},
	{SignOut, "security", domain.Text{Fr: "Déconnexion", En: "Signed out"}},
	{TwoFactorFailed, "security", domain.Text{Fr: "Code de validation refusé", En: "Verification code refused"}},
	{PasswordChanged, "security", domain.Text{Fr: "Mot de passe modifié", En: "Password changed"}},
	{PasswordResetRequested, "security", domain.Text{Fr: "Réinitialisation du mot de passe demandée", En: "Password reset requested"}},
	{PasswordReset, "security", domain.Text{Fr: "Mot de passe réinitialisé", En: "Password reset"}},
	{TwoFactorStarted, "security", domain.Text{Fr: "Validation en deux étapes commencée", En: "Two-step sign-in set-up started"}},
	{TwoFactorEnabled, "security", domain.Text{Fr: "Validation en deux étapes activée", En: "Two-step sign-in turned on"}},
	{TwoFactorDisabled, "security", domain.Text{Fr: "Validation en deux étapes désactivée", En: "Two-step sign-in turned off"}},
	{SessionRevoked, "security", domain.Text{Fr: "Appareil déconnecté", En: "Device signed out"}},
	{SessionsRevokedOthers, "security", domain.Text{Fr: "Autres appareils déconnectés", En: "Other devices signed out"}},

	{ProfileChanged, "account", domain.Text{Fr: "Profil modifié", En: "Profile changed"}},
	{LanguageChanged, "account", domain.Text{Fr: "Langue modifiée", En: "Language changed"}},
	{NotificationsChanged, "account", domain.Text{Fr: "Notifications modifiées", En: "Notifications changed"}},
	{EmailChangeRequested, "account", domain.Text{Fr: "Changement d'adresse e-mail demandé", En: "Email change requested"}},
	{EmailChanged, "account", domain.Text{Fr: "Adresse e-mail modifiée", En: "Email address changed"}},
	{AccountDeletionRequested, "account", domain.Text{Fr: "Suppression du compte demandée", En: "Account deletion requested"}},
	{AccountDeleted, "account", domain.Text{Fr: "Compte supprimé", En: "Account deleted"}},
	{PersonalDataExported, "account", domain.Text{Fr: "Export de ses données personnelles", En: "Personal data exported"}},

	{WorkspaceCreated, "organization", domain.Text{Fr: "Espace créé", En: "Workspace created"}},
	{OrgCreated, "organization", domain.Text{Fr: "Organisation créée", En: "Organization created"}},
	{OrgImported, "organization", domain.Text{Fr: "Dossier importé depuis un ordinateur", En: "Dossier imported from a computer"}},
	{OrgUpdated, "organization", domain.Text{Fr: "Organisation modifiée", En: "Organization changed"}},
	{CompanyProfileChanged, "organization", domain.Text{Fr: "Fiche entreprise modifiée", En: "Company profile changed"}},
	{OrgSecurityChanged, "organization", domain.Text{Fr: "Règles de sécurité modifiées", En: "Security rules changed"}},
	{OrgSwitched, "organization", domain.Text{Fr: "Changement d'organisation", En: "Switched organization"}},
	{OrgClosedAction, "organization", domain.Text{Fr: "Organisation clôturée", En: "Organization closed"}},
	{OrgReopened, "organization", domain.Text{Fr: "Organisation rouverte", En: "Organization reopened"}},
	{OrgDeletionRequested, "organization", domain.Text{Fr: "Suppression de l'organisation demandée", En: "Organization deletion requested"}},
	{OrgDeleted, "organization", domain.Text{Fr: "Organisation supprimée", En: "Organization deleted"}},

	{MemberUpdated, "members", domain.Text{Fr: "Fiche du membre modifiée", En: "Member details changed"}},
	{MemberRolesChanged, "members", domain.Text{Fr: "Rôles du membre modifiés", En: "Member's roles changed"}},
	{RightGranted, "members", domain.Text{Fr: "Droit accordé", En: "Right granted"}},
	{RightRevoked, "members", domain.Text{Fr: "Droit retiré", En: "Right taken away"}},
	{ApplicationGranted, "members", domain.Text{Fr: "Accès à une application accordé", En: "Application access granted"}},
	{ApplicationRevoked, "members", domain.Text{Fr: "Accès à une application retiré", En: "Application access taken away"}},
	{MemberDisabled, "members", domain.Text{Fr: "Membre désactivé", En: "Member disabled"}},
	{MemberEnabled, "members", domain.Text{Fr: "Membre réactivé", En: "Member enabled again"}},
	{MemberDeleted, "members", domain.Text{Fr: "Membre supprimé", En: "Member deleted"}},
	{MemberAway, "members", domain.Text{Fr: "Absence", En: "Away"}},
	{MemberReturned, "members", domain.Text{Fr: "Retour d'absence", En: "Back from absence"}},
	{MembersExported, "members", domain.Text{Fr: "Liste des membres exportée", En: "Member list exported"}},
	{MembersImported, "members", domain.Text{Fr: "Membres importés", En: "Members imported"}},

	{RoleCreated, "roles", domain.Text{Fr: "Rôle créé", En: "Role created"}},
	{RoleUpdated, "roles", domain.Text{Fr: "Rôle modifié", En: "Role changed"}},
	{RoleDeleted, "roles", domain.Text{Fr: "Rôle supprimé", En: "Role deleted"}},

	{ApplicationEnabled, "applications", domain.Text{Fr: "Application activée", En: "Application turned on"}},
	{ApplicationDisabled, "applications", domain.Text{Fr: "Application désactivée", En: "Application turned off"}},

	{InvitationSent, "invitations", domain.Text{Fr: "Invitation envoyée", En: "Invitation sent"}},
	{InvitationResent, "invitations", domain.Text{Fr: "Invitation renvoyée", En: "Invitation sent again"}},
	{InvitationRevoked, "invitations", domain.Text{Fr: "Invitation annulée", En: "Invitation withdrawn"}},
	{InvitationAccepted, "invitations", domain.Text{Fr: "Invitation acceptée", En: "Invitation accepted"}},

	{MailSettingsChanged, "mail", domain.Text{Fr: "Réglages d'envoi des e-mails modifiés", En: "Mail settings changed"}},
	{MailTestSent, "mail", domain.Text{Fr: "E-mail d'essai envoyé", En: "Test email sent"}},
	{MailRequeued, "mail", domain.Text{Fr: "E-mail remis en file d'envoi", En: "Email queued again"}},

	{TaskCreated, "tasks", domain.Text{Fr: "Tâche créée", En: "Task created"}},
	{TaskUpdated, "tasks", domain.Text{Fr: "Tâche modifiée", En: "Task changed"}},
	{TaskCompleted, "tasks", domain.Text{Fr: "Tâche terminée", En: "Task completed"}},
	{TaskReopened, "tasks", domain.Text{Fr: "Tâche rouverte", En: "Task reopened"}},

	{HistoryExported, "history", domain.Text{Fr: "Historique exporté", En: "History exported"}},
	{HistoryHeadExported, "history", domain.Text{Fr: "Maillon de l'historique exporté", En: "History link exported"}},
	{HistoryVerified, "history", domain.Text{Fr: "Intégrité de l'historique vérifiée", En: "History integrity checked"}},

	{OperationDiscarded, "sync", domain.Text{Fr: "Modification abandonnée", En: "Change discarded"}},
}

// ActionCodes returns the codes of Actions, in display order.
func ActionCodes() []string {
	out := make([]string, len(Actions))
	for i, a := range Actions {
		out[i] = a.Code
	}
	return out
}

// ActionLabel returns an action's words in a language ("fr" unless "en"); an
// action unknown to this build keeps its code.
func ActionLabel(code, lang string) string {
	for _, a := range Actions {
		if a.Code == code {
			return a.Label.In(lang)
		}
	}
	return code
}
