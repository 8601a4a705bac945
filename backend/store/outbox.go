package store

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Outbox message statuses (SPEC H5).
const (
	OutboxLocal   = "local"   // no SMTP configured: kept for the console's outbox screen
	OutboxPending = "pending" // waiting for its next attempt
	OutboxSending = "sending" // claimed by the worker
	OutboxSent    = "sent"
	OutboxFailed  = "failed" // given up, or interrupted while sending (never retried alone)
)

// OutboxInterrupted is the failure reason of a message caught mid-send by a
// stopped worker; mail gives the reasons of failed deliveries.
const OutboxInterrupted = "interrupted"

// Who may read a message's text, link and code on the outbox screen,
// decided when it is queued. The zero value is nobody: a message whose
// audience was not thought about keeps its secret.
const (
	AudienceNobody = ""
	// AudienceOrg: the admins of the message's organization (invitations
	// they sent, test messages).
	AudienceOrg = "org"
	// AudienceCustodian: those admins only while the message's account
	// belongs to their organization alone, checked each time the outbox is
	// read (see AccountPlaces): they could already act for that person.
	AudienceCustodian = "custodian"
	// AudienceOwner: the account itself, and its custodians.
	AudienceOwner = "owner"
)

// OutboxMessage is one message of the mail outbox.
type OutboxMessage struct {
	ID         string `gorm:"primaryKey"`
	OrgID      *string
	AccountID  *string
	Audience   string // who may read its content: Audience*
	ToAddr     string
	Language   string
	Kind       string
	Subject    string
	TextBody   string
	HTMLBody   string `gorm:"column:html_body"`
	Link       string
	Code       string
	Status     string
	Attempts   int
	NextAt     time.Time
	ClaimedAt  *time.Time
	LastReason string // why the last attempt failed: one of mail.Reason*
	LastError  string // the technical detail of that failure
	CreatedAt  time.Time
	SentAt     *time.Time
}

func (OutboxMessage) TableName() string { return "outbox" }

// ClaimOutbox marks up to limit due pending messages as sending and returns
// them. Each message is claimed by one worker only: the update checks the
// status it read, so a second worker (or a restart) never sends it again.
func (s *Store) ClaimOutbox(ctx context.Context, now time.Time, limit int) ([]OutboxMessage, error) {
	var due []OutboxMessage
	if err := s.DB(ctx).Where("status = ? AND next_at <= ?", OutboxPending, now).
		Order("next_at, id").Limit(limit).Find(&due).Error; err != nil {
		return nil, err
	}
	out := due[:0]
	for _, m := range due {
		res := s.DB(ctx).Model(&OutboxMessage{}).Where("id = ? AND status = ?", m.ID, OutboxPending).
			Updates(map[string]any{"status": OutboxSending, "claimed_at": now})
		if res.Error != nil {
			return out, res.Error
		}
		if res.RowsAffected == 1 {
			m.Status, m.ClaimedAt = OutboxSending, &now
			out = append(out, m)
		}
	}
	return out, nil
}

// OutboxSentAt records a delivered message and wipes its links and codes.
func (s *Store) OutboxSentAt(ctx context.Context, id string, at time.Time) error {
	return s.DB(ctx).Model(&OutboxMessage{}).Where("id = ? AND status = ?", id, OutboxSending).
		Updates(map[string]any{"status": OutboxSent, "sent_at": at, "text_body": "", "html_body": "", "link": "", "code": "", "last_error": "", "last_reason": ""}).Error
}

// OutboxRetryAt puts a message back in the queue after a failed attempt, or
// gives it up (failed) when next is nil, with why it failed: reason for the
// console, detail for support.
func (s *Store) OutboxRetryAt(ctx context.Context, id string, attempts int, next *time.Time, reason, detail string) error {
	cols := map[string]any{"attempts": attempts, "last_reason": reason, "last_error": detail, "claimed_at": gorm.Expr("NULL")}
	if next == nil {
		cols["status"] = OutboxFailed
	} else {
		cols["status"], cols["next_at"] = OutboxPending, *next
	}
	return s.DB(ctx).Model(&OutboxMessage{}).Where("id = ? AND status = ?", id, OutboxSending).Updates(cols).Error
}

// RecoverOutbox handles messages left "sending" by a stopped worker (claimed
// before the given time): the SMTP server may or may not have taken them, so
// they are marked failed rather than sent a second time; an admin can send
// them again from the outbox screen.
func (s *Store) RecoverOutbox(ctx context.Context, claimedBefore time.Time) (int64, error) {
	res := s.DB(ctx).Model(&OutboxMessage{}).Where("status = ? AND claimed_at < ?", OutboxSending, claimedBefore).
		Updates(map[string]any{"status": OutboxFailed, "last_reason": OutboxInterrupted, "last_error": "interrupted while sending"})
	return res.RowsAffected, res.Error
}

// ReleaseLocalOutbox hands local messages (written while no SMTP server was
// configured) to the worker: used when SMTP settings are saved.
func (s *Store) ReleaseLocalOutbox(ctx context.Context, now time.Time) error {
	return s.DB(ctx).Model(&OutboxMessage{}).Where("status = ?", OutboxLocal).
		Updates(map[string]any{"status": OutboxPending, "next_at": now}).Error
}

// OutboxOf lists an organization's messages, newest first.
func (s *Store) OutboxOf(ctx context.Context, orgID string, limit int) ([]OutboxMessage, error) {
	var out []OutboxMessage
	err := s.DB(ctx).Where("org_id = ?", orgID).Order("created_at DESC, id DESC").Limit(limit).Find(&out).Error
	return out, err
}

// AccountPlaces tells where an account belongs, for the outbox's custodian
// audience: here is a membership of orgID that is not deleted; elsewhere is
// one in another organization whatever its status (a disabled one can be
// enabled again), or a pending invitation of its address to another
// organization (it could join it as itself). The account belongs to orgID
// alone when here && !elsewhere.
func (s *Store) AccountPlaces(ctx context.Context, orgID, accountID string) (here, elsewhere bool, err error) {
	var r struct{ Here, Elsewhere int64 }
	err = s.DB(ctx).Raw(`SELECT
		(SELECT COUNT(*) FROM memberships WHERE account_id = ? AND org_id = ? AND status <> 'deleted') AS here,
		(SELECT COUNT(*) FROM memberships WHERE account_id = ? AND org_id <> ? AND status <> 'deleted')
		+ (SELECT COUNT(*) FROM invitations i JOIN accounts a ON a.email = i.email
			WHERE a.id = ? AND i.org_id <> ? AND i.status = ?) AS elsewhere`,
		accountID, orgID, accountID, orgID, accountID, orgID, InvitationPending).Scan(&r).Error
	return r.Here > 0, r.Elsewhere > 0, err
}

// OutboxMessageByID finds one message of an organization.
func (s *Store) OutboxMessageByID(ctx context.Context, orgID, id string) (OutboxMessage, error) {
	var m OutboxMessage
	err := s.DB(ctx).Where("org_id = ? AND id = ?", orgID, id).Take(&m).Error
	return m, notFound(err, "message")
}

// RequeueOutbox sends a failed message again.
func (s *Store) RequeueOutbox(ctx context.Context, orgID, id string, now time.Time) (bool, error) {
	res := s.DB(ctx).Model(&OutboxMessage{}).Where("org_id = ? AND id = ? AND status = ?", orgID, id, OutboxFailed).
		Updates(map[string]any{"status": OutboxPending, "next_at": now, "attempts": 0})
	return res.RowsAffected == 1, res.Error
}

// CountOutbox counts messages by status (tests, the settings screen).
func (s *Store) CountOutbox(ctx context.Context, status string) (int64, error) {
	var n int64
	err := s.DB(ctx).Model(&OutboxMessage{}).Where("status = ?", status).Count(&n).Error
	return n, err
}

// MailSettingsRow is the SMTP configuration saved from the console.
type MailSettingsRow struct {
	ID        int `gorm:"primaryKey"`
	Host      string
	Port      int
	Security  string
	Username  string
	Password  string
	Sender    string
	UpdatedAt time.Time
}

func (MailSettingsRow) TableName() string { return "mail_settings" }

// MailSettings returns the saved SMTP settings (zero when never saved).
func (s *Store) MailSettings(ctx context.Context) (MailSettingsRow, error) {
	var r []MailSettingsRow
	err := s.DB(ctx).Where("id = 1").Limit(1).Find(&r).Error
	if err != nil || len(r) == 0 {
		return MailSettingsRow{ID: 1, Port: 587, Security: "starttls"}, err
	}
	return r[0], nil
}

// SaveMailSettings writes the SMTP settings.
func (s *Store) SaveMailSettings(ctx context.Context, r MailSettingsRow) error {
	r.ID = 1
	return s.DB(ctx).Clauses(clause.OnConflict{UpdateAll: true}).Create(&r).Error
}
