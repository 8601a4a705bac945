package service

import (
	"fmt"
	"time"

	"atrium/backend/audit"
	"atrium/backend/domain"
	"atrium/backend/mail"
)

// Notifications that are sent: each history entry of certain actions tells
// the people concerned, by mail, in their own language, in the same
// transaction as the change (so a change rolled back tells nobody). Each
// recipient's switches on the Notifications tab are read as the message is
// written. Nobody is told of what they did themselves.

// noticeRule says whom one kind of history entry tells, and in which
// category the recipient may have switched it off.
type noticeRule struct {
	category, kind string
	// to is who is told: the organization's admins, or the account the
	// entry's details name under key.
	toAdmins bool
	key      string
	page     string // the console page the message's button opens
}

var noticeRules = map[string]noticeRule{
	audit.InvitationAccepted: {category: NotifyMembers, kind: mail.KindMemberJoined, toAdmins: true, key: "accountId", page: "users"},
	audit.MemberDeleted:      {category: NotifyMembers, kind: mail.KindMemberLeft, toAdmins: true, key: "accountId", page: "users"},
	audit.MemberRolesChanged: {category: NotifyRights, kind: mail.KindRightsChanged, toAdmins: true, key: "accountId", page: "users"},
	audit.RightGranted:       {category: NotifyRights, kind: mail.KindRightsChanged, toAdmins: true, key: "accountId", page: "users"},
	audit.RightRevoked:       {category: NotifyRights, kind: mail.KindRightsChanged, toAdmins: true, key: "accountId", page: "users"},
	audit.MemberDisabled:     {category: NotifyAccess, kind: mail.KindAccessSuspended, key: "accountId"},
	audit.MemberEnabled:      {category: NotifyAccess, kind: mail.KindAccessRestored, key: "accountId", page: "home"},
	audit.TaskCreated:        {category: NotifyTasks, kind: mail.KindTaskAssigned, key: "assigneeId", page: "tasks"},
	audit.TaskUpdated:        {category: NotifyTasks, kind: mail.KindTaskAssigned, key: "assigneeId", page: "tasks"},
}

// notify writes the messages a history entry calls for.
func (w *Write) notify(e audit.Entry) error {
	rule, ok := noticeRules[e.Action]
	if !ok || e.OrgID == "" {
		return nil
	}
	subject := subjectOf(e, rule.key)
	if subject == "" {
		return nil
	}
	ctx, st := w.Ctx(), w.deps.Store
	m := &Mail{Deps: w.deps}
	if on, err := m.Configured(ctx); err != nil || !on {
		// Without a way to send mail, a notice would only wait in the
		// outbox for someone to pass it on by hand: nobody would.
		return err
	}
	org, err := st.OrganizationByID(ctx, e.OrgID)
	if err != nil {
		return err
	}
	person, err := st.AccountByID(ctx, subject)
	if err != nil {
		return err
	}
	var to []domain.Account
	if rule.toAdmins {
		if to, err = st.OrgAdmins(ctx, e.OrgID); err != nil {
			return err
		}
	} else {
		to = []domain.Account{person}
	}
	by := ""
	if w.Actor.AccountID != "" {
		if acc, err := st.AccountByID(ctx, w.Actor.AccountID); err == nil {
			by = acc.FullName()
		}
	}
	n := &Notifications{Deps: w.deps}
	for _, acc := range to {
		if acc.ID == w.Actor.AccountID {
			continue
		}
		if wants, err := n.Wants(ctx, acc.ID, rule.category); err != nil || !wants {
			if err != nil {
				return err
			}
			continue
		}
		d := mail.Data{Name: acc.FirstName, Org: org.Name, Person: person.FullName(), By: by}
		if rule.kind == mail.KindTaskAssigned {
			t, err := st.TaskByID(ctx, e.OrgID, e.SubjectID)
			if err != nil {
				return err
			}
			d.Task = t.Title
			if t.DueDate != nil {
				d.Due = readableDay(acc.Language, *t.DueDate)
			}
		}
		if rule.page != "" {
			d.Link = m.consoleLink(fmt.Sprintf("/o/%s/%s", org.ID, rule.page))
		}
		if err := w.Mail(outgoing{OrgID: e.OrgID, AccountID: acc.ID, To: acc.Email, Language: acc.Language, Kind: rule.kind, Data: d}); err != nil {
			return err
		}
	}
	return nil
}

// subjectOf is the account an entry's details name under key: for a task
// update, only when the change gave the task to someone.
func subjectOf(e audit.Entry, key string) string {
	if e.Action == audit.TaskUpdated {
		changes, _ := e.Details["changes"].(map[string]any)
		ch, _ := changes[key].(map[string]any)
		to, _ := ch["to"].(string)
		return to
	}
	id, _ := e.Details[key].(string)
	return id
}

// readableDay writes a date (YYYY-MM-DD) as the reader reads dates: jj/mm/aaaa in
// French.
func readableDay(lang, day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return ""
	}
	if lang == "en" {
		return t.Format("January 2, 2006")
	}
	return t.Format("02/01/2006")
}
