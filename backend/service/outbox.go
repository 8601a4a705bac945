package service

import (
	"context"
	"time"

	"atrium/backend/audit"
	"atrium/backend/domain"
	"atrium/backend/store"
)

// OutboxItem is one message of the outbox screen. Its text, link and code
// are shown until it is sent (then wiped), and only to who may read them:
// else Withheld says why they are not.
type OutboxItem struct {
	ID         string     `json:"id"`
	To         string     `json:"to"`
	Kind       string     `json:"kind"`
	Subject    string     `json:"subject"`
	Text       string     `json:"text"`
	Link       string     `json:"link"`
	Code       string     `json:"code"`
	Withheld   string     `json:"withheld"` // "" shown, else withheldOtherOrg or withheldPersonal
	Status     string     `json:"status"`
	Attempts   int        `json:"attempts"`
	LastReason string     `json:"lastReason"` // why the last attempt failed (mail.Reason*), "" if none
	CreatedAt  time.Time  `json:"createdAt"`
	SentAt     *time.Time `json:"sentAt"`
	NextAt     *time.Time `json:"nextAt"`
}

// Why the outbox screen does not show a message's content.
const (
	// The account also belongs to another organization: only the mail, to
	// the person's own address, may carry its link.
	withheldOtherOrg = "other_organization"
	// Meant for the person alone.
	withheldPersonal = "personal"
)

// OutboxList is the outbox of the organization, newest first.
type OutboxList struct {
	Items      []OutboxItem `json:"items"`
	Configured bool         `json:"configured"`
}

// Outbox lists the organization's last 200 messages. Who may read each
// one's content is decided again now from where its account belongs: an
// account that joined another organization since its reset was queued is no
// longer this organization's alone.
func (s *Mail) Outbox(ctx context.Context, _ Empty) (OutboxList, error) {
	a, ok := domain.ActorFrom(ctx)
	if !ok || a.OrgID == "" {
		return OutboxList{}, domain.Errorf(domain.CodeUnauthenticated, "no organization")
	}
	rows, err := s.Store.OutboxOf(ctx, a.OrgID, 200)
	if err != nil {
		return OutboxList{}, err
	}
	out := OutboxList{Items: []OutboxItem{}}
	if out.Configured, err = s.Configured(ctx); err != nil {
		return out, err
	}
	withheld := map[string]string{} // by account: why its custodian content is withheld
	custody := func(accountID *string) (string, error) {
		if accountID == nil {
			return withheldPersonal, nil
		}
		if why, ok := withheld[*accountID]; ok {
			return why, nil
		}
		here, elsewhere, err := s.Store.AccountPlaces(ctx, a.OrgID, *accountID)
		why := ""
		if elsewhere {
			why = withheldOtherOrg
		} else if !here {
			why = withheldPersonal
		}
		withheld[*accountID] = why
		return why, err
	}
	for _, m := range rows {
		it := OutboxItem{ID: m.ID, To: m.ToAddr, Kind: m.Kind, Subject: m.Subject, Status: m.Status, Attempts: m.Attempts,
			LastReason: m.LastReason, CreatedAt: m.CreatedAt, SentAt: m.SentAt}
		if m.Status == store.OutboxPending {
			next := m.NextAt
			it.NextAt = &next
		}
		switch {
		case m.Status == store.OutboxSent: // nothing left to withhold
		case m.Audience == store.AudienceOrg:
		case m.Audience == store.AudienceOwner || m.Audience == store.AudienceCustodian:
			if m.Audience == store.AudienceOwner && m.AccountID != nil && *m.AccountID == a.AccountID {
				break
			}
			if it.Withheld, err = custody(m.AccountID); err != nil {
				return OutboxList{}, err
			}
			if it.Withheld != "" && m.Audience == store.AudienceOwner {
				it.Withheld = withheldPersonal // meant for the person, whoever else holds the account
			}
		default:
			it.Withheld = withheldPersonal
		}
		if it.Withheld == "" {
			it.Text, it.Link, it.Code = m.TextBody, m.Link, m.Code
		}
		out.Items = append(out.Items, it)
	}
	return out, nil
}

// OutboxRef names a message of the outbox.
type OutboxRef struct {
	MessageID string `json:"messageId"`
}

// Retry sends a failed message again.
func (s *Mail) Retry(ctx context.Context, in OutboxRef) (Empty, error) {
	a, _ := domain.ActorFrom(ctx)
	return Empty{}, s.write(ctx, a, func(w *Write) error {
		ctx := w.Ctx()
		m, err := s.Store.OutboxMessageByID(ctx, a.OrgID, in.MessageID)
		if err != nil {
			return err
		}
		ok, err := s.Store.RequeueOutbox(ctx, a.OrgID, m.ID, s.now())
		if err != nil {
			return err
		}
		if !ok {
			return domain.FieldErrors{"messageId": domain.FieldInvalidStatus}.Err()
		}
		if s.Mail.Wake != nil {
			s.Mail.Wake()
		}
		// A message's text may hold a link or a code: it never travels.
		if err := w.Changed(a.OrgID, "outbox_message", m.ID, "updated", nil); err != nil {
			return err
		}
		return w.Record(audit.Entry{OrgID: a.OrgID, Action: audit.MailRequeued, SubjectType: "mail", SubjectID: m.ID})
	})
}
