package mail

// wordings holds every message in French and English. Fields of Data are
// filled by name; the layouts (templates/) add the button, code and footer.
var wordings = map[string]map[string]text{
	"fr": {
		KindInvitation: {
			Subject:  "{{.Inviter}} vous invite à rejoindre {{.Org}} sur Atrium",
			Greeting: "Bonjour{{if .Name}} {{.Name}}{{end}},",
			Lines: []string{"{{.Inviter}} vous invite à rejoindre l'organisation {{.Org}} sur Atrium.",
				"Cette invitation est valable {{.Expires}}. Elle ne peut servir qu'une fois."},
			Button:   "Accepter l'invitation",
			CodeLine: "Dans l'application de bureau, vous pouvez aussi saisir ce code :",
			Footer:   "Si vous ne connaissez pas l'expéditeur, ignorez ce message : aucun compte ne sera créé.",
		},
		KindPasswordReset: {
			Subject:  "Réinitialisation de votre mot de passe Atrium",
			Greeting: "Bonjour{{if .Name}} {{.Name}}{{end}},",
			Lines: []string{"Une réinitialisation du mot de passe de votre compte Atrium a été demandée.",
				"Ce lien est valable {{.Expires}} et ne peut servir qu'une fois. Une fois le nouveau mot de passe choisi, toutes vos autres sessions seront fermées."},
			Button:   "Choisir un nouveau mot de passe",
			CodeLine: "Vous pouvez aussi saisir ce code :",
			Footer:   "Si vous n'avez rien demandé, ignorez ce message : votre mot de passe reste inchangé.",
		},
		KindEmailChange: {
			Subject:  "Confirmez votre nouvelle adresse e-mail",
			Greeting: "Bonjour{{if .Name}} {{.Name}}{{end}},",
			Lines: []string{"Vous avez demandé à utiliser l'adresse {{.Email}} pour votre compte Atrium.",
				"Le changement ne sera fait qu'après votre confirmation. Ce lien est valable {{.Expires}}."},
			Button:   "Confirmer cette adresse",
			CodeLine: "Vous pouvez aussi saisir ce code :",
			Footer:   "Si vous n'avez rien demandé, ignorez ce message : rien ne sera changé.",
		},
		KindEmailInUse: {
			Subject:  "Votre adresse e-mail a été proposée pour un autre compte Atrium",
			Greeting: "Bonjour{{if .Name}} {{.Name}}{{end}},",
			Lines: []string{"Quelqu'un a demandé à utiliser cette adresse pour un autre compte Atrium. Elle est déjà celle de votre compte : rien n'a changé, et aucun autre compte ne peut la prendre.",
				"Si c'est vous, depuis un autre compte, connectez-vous plutôt avec cette adresse-ci."},
			Footer: "Si vous n'avez rien demandé, ignorez ce message.",
		},
		KindEmailChanged: {
			Subject:  "L'adresse e-mail de votre compte Atrium a changé",
			Greeting: "Bonjour{{if .Name}} {{.Name}}{{end}},",
			Lines: []string{"L'adresse e-mail de votre compte Atrium est désormais {{.Email}}. Cette adresse-ci ne sert plus à vous connecter.",
				"Si vous n'êtes pas à l'origine de ce changement, contactez sans attendre l'administrateur de votre organisation."},
			Footer: "Message de sécurité envoyé automatiquement par Atrium.",
		},
		KindDeleteAccount: {
			Subject:  "Code de confirmation : suppression de votre compte",
			Greeting: "Bonjour{{if .Name}} {{.Name}}{{end}},",
			Lines:    []string{"Vous avez demandé la suppression définitive de votre compte Atrium. Cette action est irréversible.", "Ce code est valable {{.Expires}}."},
			CodeLine: "Votre code de confirmation :",
			Footer:   "Si vous n'avez rien demandé, ignorez ce message et changez votre mot de passe.",
		},
		KindDeleteOrg: {
			Subject:  "Code de confirmation : suppression de l'organisation {{.Org}}",
			Greeting: "Bonjour{{if .Name}} {{.Name}}{{end}},",
			Lines:    []string{"Vous avez demandé la suppression définitive de l'organisation {{.Org}}, de ses membres, rôles, tâches et données. Cette action est irréversible.", "Ce code est valable {{.Expires}}."},
			CodeLine: "Votre code de confirmation :",
			Footer:   "Si vous n'avez rien demandé, ignorez ce message.",
		},
		KindSecurityAlert: {
			Subject:  "Alerte de sécurité sur votre compte Atrium",
			Greeting: "Bonjour{{if .Name}} {{.Name}}{{end}},",
			Lines: []string{`{{if eq .Alert "new_device_signin"}}Une connexion à votre compte vient d'avoir lieu depuis un nouvel appareil{{if .Detail}} ({{.Detail}}){{end}}.` +
				`{{else if eq .Alert "password_changed"}}Le mot de passe de votre compte vient d'être changé.` +
				`{{else if eq .Alert "two_factor_enabled"}}La validation en deux étapes vient d'être activée sur votre compte.` +
				`{{else if eq .Alert "two_factor_disabled"}}La validation en deux étapes vient d'être désactivée sur votre compte.` +
				`{{else}}Une opération sensible vient d'avoir lieu sur votre compte.{{end}}`,
				"Si c'est bien vous, il n'y a rien à faire. Sinon, changez votre mot de passe sans attendre."},
			Footer: "Les alertes de sécurité sont toujours envoyées.",
		},
		KindTest: {
			Subject:  "Message d'essai d'Atrium",
			Greeting: "Bonjour,",
			Lines:    []string{"Ce message confirme que les réglages d'envoi des e-mails d'Atrium fonctionnent."},
			Footer:   "Message envoyé depuis les réglages de messagerie.",
		},
	},
	"en": {
		KindInvitation: {
			Subject:  "{{.Inviter}} invites you to join {{.Org}} on Atrium",
			Greeting: "Hello{{if .Name}} {{.Name}}{{end}},",
			Lines: []string{"{{.Inviter}} invites you to join the organization {{.Org}} on Atrium.",
				"This invitation is valid for {{.Expires}} and can be used once."},
			Button:   "Accept the invitation",
			CodeLine: "In the desktop application, you can also type this code:",
			Footer:   "If you do not know the sender, ignore this message: no account will be created.",
		},
		KindPasswordReset: {
			Subject:  "Reset your Atrium password",
			Greeting: "Hello{{if .Name}} {{.Name}}{{end}},",
			Lines: []string{"A password reset was requested for your Atrium account.",
				"This link is valid for {{.Expires}} and can be used once. Once you choose a new password, all your other sessions are signed out."},
			Button:   "Choose a new password",
			CodeLine: "You can also type this code:",
			Footer:   "If you did not ask for this, ignore this message: your password stays the same.",
		},
		KindEmailChange: {
			Subject:  "Confirm your new email address",
			Greeting: "Hello{{if .Name}} {{.Name}}{{end}},",
			Lines: []string{"You asked to use {{.Email}} for your Atrium account.",
				"Nothing changes until you confirm. This link is valid for {{.Expires}}."},
			Button:   "Confirm this address",
			CodeLine: "You can also type this code:",
			Footer:   "If you did not ask for this, ignore this message: nothing will change.",
		},
		KindEmailInUse: {
			Subject:  "Your email address was offered for another Atrium account",
			Greeting: "Hello{{if .Name}} {{.Name}}{{end}},",
			Lines: []string{"Someone asked to use this address for another Atrium account. It is already your account's address: nothing changed, and no other account can take it.",
				"If this was you, from another account, sign in with this address instead."},
			Footer: "If you did not ask for this, ignore this message.",
		},
		KindEmailChanged: {
			Subject:  "The email address of your Atrium account changed",
			Greeting: "Hello{{if .Name}} {{.Name}}{{end}},",
			Lines: []string{"The email address of your Atrium account is now {{.Email}}. This address no longer signs you in.",
				"If you did not make this change, contact your organization's administrator at once."},
			Footer: "Security message sent automatically by Atrium.",
		},
		KindDeleteAccount: {
			Subject:  "Confirmation code: deleting your account",
			Greeting: "Hello{{if .Name}} {{.Name}}{{end}},",
			Lines:    []string{"You asked to delete your Atrium account for good. This cannot be undone.", "This code is valid for {{.Expires}}."},
			CodeLine: "Your confirmation code:",
			Footer:   "If you did not ask for this, ignore this message and change your password.",
		},
		KindDeleteOrg: {
			Subject:  "Confirmation code: deleting the organization {{.Org}}",
			Greeting: "Hello{{if .Name}} {{.Name}}{{end}},",
			Lines:    []string{"You asked to delete the organization {{.Org}} for good, with its members, roles, tasks and data. This cannot be undone.", "This code is valid for {{.Expires}}."},
			CodeLine: "Your confirmation code:",
			Footer:   "If you did not ask for this, ignore this message.",
		},
		KindSecurityAlert: {
			Subject:  "Security alert on your Atrium account",
			Greeting: "Hello{{if .Name}} {{.Name}}{{end}},",
			Lines: []string{`{{if eq .Alert "new_device_signin"}}Your account was just signed in from a new device{{if .Detail}} ({{.Detail}}){{end}}.` +
				`{{else if eq .Alert "password_changed"}}Your account's password was just changed.` +
				`{{else if eq .Alert "two_factor_enabled"}}Two-step verification was just turned on for your account.` +
				`{{else if eq .Alert "two_factor_disabled"}}Two-step verification was just turned off for your account.` +
				`{{else}}A sensitive operation just happened on your account.{{end}}`,
				"If this was you, there is nothing to do. Otherwise, change your password at once."},
			Footer: "Security alerts are always sent.",
		},
		KindTest: {
			Subject:  "Atrium test message",
			Greeting: "Hello,",
			Lines:    []string{"This message confirms that Atrium's mail settings work."},
			Footer:   "Sent from the mail settings.",
		},
	},
}

// Durations in words, for the templates.
var (
	SevenDays = map[string]string{"fr": "7 jours", "en": "7 days"}
	OneHour   = map[string]string{"fr": "1 heure", "en": "1 hour"}
	Minutes30 = map[string]string{"fr": "30 minutes", "en": "30 minutes"}
	TwoDays   = map[string]string{"fr": "48 heures", "en": "48 hours"}
)
