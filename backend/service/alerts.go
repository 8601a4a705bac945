package service

import (
	"context"
	"strings"

	"atrium/backend/mail"
)

// BridgeAlerts hands the security alerts (written by the security
// operations) to the outbox: each alert becomes one message and is marked
// sent in the same transaction, so none is lost or sent twice.
func (s *Mail) BridgeAlerts(ctx context.Context) error {
	return s.Store.Tx(ctx, func(ctx context.Context) error {
		alerts, err := s.Store.UnsentSecurityAlerts(ctx, 50)
		if err != nil {
			return err
		}
		for _, al := range alerts {
			acc, err := s.Store.AccountByID(ctx, al.AccountID)
			if err != nil {
				return err
			}
			org, err := s.orgOfAccount(ctx, acc)
			if err != nil {
				return err
			}
			d := mail.Data{Name: acc.FirstName, Alert: al.Kind, Detail: alertDetail(al.Details)}
			if err := s.queue(ctx, outgoing{OrgID: org, AccountID: acc.ID, To: acc.Email, Language: acc.Language, Kind: mail.KindSecurityAlert, Data: d}); err != nil {
				return err
			}
			if err := s.Store.MarkSecurityAlertSent(ctx, al.ID, s.now()); err != nil {
				return err
			}
		}
		return nil
	})
}

func alertDetail(details string) string {
	// {"device":"..."}: the only detail shown.
	const key = `"device":"`
	if i := strings.Index(details, key); i >= 0 {
		rest := details[i+len(key):]
		if j := strings.Index(rest, `"`); j >= 0 {
			return rest[:j]
		}
	}
	return ""
}
