package service

import (
	"context"
	"strings"

	"atrium/backend/domain"
	"atrium/backend/mail"
	"atrium/backend/store"
)

// outgoing is a message to write to the outbox. OrgID names the
// organization whose outbox screen lists it; "" lists it in none (a message
// the person asked for themselves, which only the mail delivers).
type outgoing struct {
	OrgID, AccountID, To, Language, Kind string
	Data                                 mail.Data
}

// audienceOf says who may read a message's text, link and code on its
// organization's outbox screen (store.Audience*), by kind. A secret meant
// for a person is shown only to someone who could already act for them: the
// person, or the admins of the one organization the account belongs to (on
// a desktop without SMTP they pass resets on by hand, and could reset the
// password anyway). Deletion codes prove that the person reads their
// mailbox, so nobody sees them. A kind missing here is shown to nobody.
var audienceOf = map[string]string{
	mail.KindInvitation:    store.AudienceOrg, // the inviting admins pass it on by hand
	mail.KindTest:          store.AudienceOrg, // no secret
	mail.KindPasswordReset: store.AudienceCustodian,
	mail.KindEmailChange:   store.AudienceOwner,
	mail.KindEmailChanged:  store.AudienceOwner,
	mail.KindSecurityAlert: store.AudienceOwner,
	// Notifications carry no secret, but are the recipient's own.
	mail.KindMemberJoined:    store.AudienceOwner,
	mail.KindMemberLeft:      store.AudienceOwner,
	mail.KindRightsChanged:   store.AudienceOwner,
	mail.KindTaskAssigned:    store.AudienceOwner,
	mail.KindAccessSuspended: store.AudienceOwner,
	mail.KindAccessRestored:  store.AudienceOwner,
	mail.KindWeeklyDigest:    store.AudienceOwner,
}

// queue renders a message and writes it to the outbox, in the caller's
// transaction: the message exists if and only if the action happened.
func (s *Mail) queue(ctx context.Context, o outgoing) error {
	_, err := s.enqueue(ctx, o)
	return err
}

// enqueue is queue, for an operation whose change is the message itself: it
// returns the message's ID.
func (s *Mail) enqueue(ctx context.Context, o outgoing) (string, error) {
	on, err := s.Configured(ctx)
	if err != nil {
		return "", err
	}
	m, err := s.message(o, on)
	if err != nil {
		return "", err
	}
	if err := s.Store.Create(ctx, &m); err != nil {
		return "", err
	}
	if s.Mail.Wake != nil {
		s.Mail.Wake()
	}
	return m.ID, nil
}

// queueAll is queue for many messages at once (a write in batch mode, see
// Write.Batch): the settings read once, the rows inserted in batches.
func (s *Mail) queueAll(ctx context.Context, msgs []outgoing) error {
	if len(msgs) == 0 {
		return nil
	}
	on, err := s.Configured(ctx)
	if err != nil {
		return err
	}
	rows := make([]store.OutboxMessage, 0, len(msgs))
	for _, o := range msgs {
		m, err := s.message(o, on)
		if err != nil {
			return err
		}
		rows = append(rows, m)
	}
	if err := s.Store.DB(ctx).CreateInBatches(rows, 200).Error; err != nil {
		return err
	}
	if s.Mail.Wake != nil {
		s.Mail.Wake()
	}
	return nil
}

// message renders a message into its outbox row; on says whether a mail
// server is set (else it waits in the outbox, to be passed on by hand).
func (s *Mail) message(o outgoing, on bool) (store.OutboxMessage, error) {
	subject, txt, html, err := mail.Render(o.Kind, o.Language, o.Data)
	if err != nil {
		return store.OutboxMessage{}, err
	}
	now := s.now()
	m := store.OutboxMessage{ID: domain.NewID(), ToAddr: o.To, Language: o.Language, Kind: o.Kind, Subject: subject,
		TextBody: txt, HTMLBody: html, Link: o.Data.Link, Code: o.Data.Code, Status: store.OutboxLocal, NextAt: now, CreatedAt: now}
	if on {
		m.Status = store.OutboxPending
	}
	if o.OrgID != "" {
		m.OrgID = &o.OrgID
		m.Audience = audienceOf[o.Kind]
	}
	if o.AccountID != "" {
		m.AccountID = &o.AccountID
	}
	return m, nil
}

// link builds the console's address of an action, or "" on the desktop.
func (s *Mail) link(path, token string) string {
	if l := s.consoleLink(path); l != "" {
		return l + "?token=" + token
	}
	return ""
}

// consoleLink is the console's address of a page, or "" on the desktop
// (which has no address a mail could open).
func (s *Mail) consoleLink(path string) string {
	if s.Mail.PublicURL == "" {
		return ""
	}
	return strings.TrimRight(s.Mail.PublicURL, "/") + "/#" + path
}

// orgOfAccount names the organization whose outbox shows an account's own
// messages (the one it last worked in).
func (s *Mail) orgOfAccount(ctx context.Context, acc domain.Account) (string, error) {
	if acc.LastOrgID != nil {
		if ok, err := s.Store.IsActiveMember(ctx, *acc.LastOrgID, acc.ID); err != nil || ok {
			return *acc.LastOrgID, err
		}
	}
	return s.Store.FirstActiveOrgID(ctx, acc.ID)
}
