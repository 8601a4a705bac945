package mail

// Kinds of notification messages: what the account chose to be told on the
// Notifications tab. None carries a secret.
const (
	KindMemberJoined    = "member_joined"
	KindMemberLeft      = "member_left"
	KindRightsChanged   = "rights_changed"
	KindTaskAssigned    = "task_assigned"
	KindAccessSuspended = "access_suspended"
	KindAccessRestored  = "access_restored"
	KindWeeklyDigest    = "weekly_digest"
)

const noticeFooterFr = "Vous recevez ce message selon vos choix de notifications, dans Mon compte › Notifications."
const noticeFooterEn = "You receive this message as chosen in My account › Notifications."

func init() {
	for kind, t := range map[string]text{
		KindMemberJoined: {
			Subject:  "{{.Person}} a rejoint {{.Org}}",
			Greeting: "Bonjour{{if .Name}} {{.Name}}{{end}},",
			Lines:    []string{"{{.Person}} a accepté l'invitation et fait désormais partie de l'organisation {{.Org}}."},
			Button:   "Voir les membres",
			Footer:   noticeFooterFr,
		},
		KindMemberLeft: {
			Subject:  "{{.Person}} a quitté {{.Org}}",
			Greeting: "Bonjour{{if .Name}} {{.Name}}{{end}},",
			Lines:    []string{"{{.Person}} ne fait plus partie de l'organisation {{.Org}}{{if .By}} (départ enregistré par {{.By}}){{end}}."},
			Button:   "Voir les membres",
			Footer:   noticeFooterFr,
		},
		KindRightsChanged: {
			Subject:  "Droits modifiés dans {{.Org}} : {{.Person}}",
			Greeting: "Bonjour{{if .Name}} {{.Name}}{{end}},",
			Lines:    []string{"{{.By}} a modifié les rôles ou les droits de {{.Person}} dans l'organisation {{.Org}}."},
			Button:   "Voir les droits",
			Footer:   noticeFooterFr,
		},
		KindTaskAssigned: {
			Subject:  "Nouvelle tâche pour vous dans {{.Org}} : {{.Task}}",
			Greeting: "Bonjour{{if .Name}} {{.Name}}{{end}},",
			Lines:    []string{"{{.By}} vous a confié la tâche « {{.Task}} » dans l'organisation {{.Org}}{{if .Due}}, à faire pour le {{.Due}}{{end}}."},
			Button:   "Voir mes tâches",
			Footer:   noticeFooterFr,
		},
		KindAccessSuspended: {
			Subject:  "Votre accès à {{.Org}} est suspendu",
			Greeting: "Bonjour{{if .Name}} {{.Name}}{{end}},",
			Lines: []string{"Votre accès à l'organisation {{.Org}} sur Atrium a été suspendu par {{.By}}.",
				"Pour le retrouver, adressez-vous à {{.By}} ou à un autre administrateur de {{.Org}}. Vos autres organisations ne sont pas concernées."},
			Footer: noticeFooterFr,
		},
		KindAccessRestored: {
			Subject:  "Votre accès à {{.Org}} est rétabli",
			Greeting: "Bonjour{{if .Name}} {{.Name}}{{end}},",
			Lines:    []string{"{{.By}} a rétabli votre accès à l'organisation {{.Org}} sur Atrium : vous pouvez de nouveau vous y connecter."},
			Button:   "Ouvrir Atrium",
			Footer:   noticeFooterFr,
		},
		KindWeeklyDigest: {
			Subject:  "Votre semaine sur Atrium",
			Greeting: "Bonjour{{if .Name}} {{.Name}}{{end}},",
			Lines:    []string{"Voici ce qui vous attend dans vos organisations :"},
			Button:   "Ouvrir Atrium",
			Footer:   noticeFooterFr,
		},
	} {
		wordings["fr"][kind] = t
	}
	for kind, t := range map[string]text{
		KindMemberJoined: {
			Subject:  "{{.Person}} joined {{.Org}}",
			Greeting: "Hello{{if .Name}} {{.Name}}{{end}},",
			Lines:    []string{"{{.Person}} accepted the invitation and is now a member of {{.Org}}."},
			Button:   "See the members",
			Footer:   noticeFooterEn,
		},
		KindMemberLeft: {
			Subject:  "{{.Person}} left {{.Org}}",
			Greeting: "Hello{{if .Name}} {{.Name}}{{end}},",
			Lines:    []string{"{{.Person}} is no longer a member of {{.Org}}{{if .By}} (recorded by {{.By}}){{end}}."},
			Button:   "See the members",
			Footer:   noticeFooterEn,
		},
		KindRightsChanged: {
			Subject:  "Rights changed in {{.Org}}: {{.Person}}",
			Greeting: "Hello{{if .Name}} {{.Name}}{{end}},",
			Lines:    []string{"{{.By}} changed the roles or rights of {{.Person}} in {{.Org}}."},
			Button:   "See the rights",
			Footer:   noticeFooterEn,
		},
		KindTaskAssigned: {
			Subject:  "New task for you in {{.Org}}: {{.Task}}",
			Greeting: "Hello{{if .Name}} {{.Name}}{{end}},",
			Lines:    []string{"{{.By}} assigned you the task “{{.Task}}” in {{.Org}}{{if .Due}}, due {{.Due}}{{end}}."},
			Button:   "See my tasks",
			Footer:   noticeFooterEn,
		},
		KindAccessSuspended: {
			Subject:  "Your access to {{.Org}} is suspended",
			Greeting: "Hello{{if .Name}} {{.Name}}{{end}},",
			Lines: []string{"Your access to {{.Org}} on Atrium was suspended by {{.By}}.",
				"To get it back, ask {{.By}} or another administrator of {{.Org}}. Your other organizations are not affected."},
			Footer: noticeFooterEn,
		},
		KindAccessRestored: {
			Subject:  "Your access to {{.Org}} is restored",
			Greeting: "Hello{{if .Name}} {{.Name}}{{end}},",
			Lines:    []string{"{{.By}} restored your access to {{.Org}} on Atrium: you can sign in to it again."},
			Button:   "Open Atrium",
			Footer:   noticeFooterEn,
		},
		KindWeeklyDigest: {
			Subject:  "Your week on Atrium",
			Greeting: "Hello{{if .Name}} {{.Name}}{{end}},",
			Lines:    []string{"Here is what awaits you in your organizations:"},
			Button:   "Open Atrium",
			Footer:   noticeFooterEn,
		},
	} {
		wordings["en"][kind] = t
	}
}
