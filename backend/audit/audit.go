// Package audit keeps Atrium's history: an append-only list of events, each
// chained to the previous one by a keyed hash (HMAC-SHA-256, with a key kept
// outside the database), so that an edited, removed or cut-off entry is found
// by Verify even when whoever changed it recomputed every later link.
package audit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"sync/atomic"
	"time"

	"atrium/backend/domain"
	"atrium/backend/store"
)

// Actions recorded in the history.
const (
	WorkspaceCreated = "workspace.created"
	SignInSucceeded  = "signin.succeeded"
	SignInFailed     = "signin.failed"
	SignOut          = "signout"
	ProfileChanged   = "profile.changed"
	LanguageChanged  = "language.changed"

	// Account security: password, second factor, sessions, notification
	// choices, the organization's policy, and the history's own export and check.
	PasswordChanged       = "password.changed"
	TwoFactorStarted      = "twofactor.started" // a new secret shown, waiting for its first code
	TwoFactorEnabled      = "twofactor.enabled"
	TwoFactorDisabled     = "twofactor.disabled"
	TwoFactorFailed       = "twofactor.failed"
	SessionRevoked        = "session.revoked"
	SessionsRevokedOthers = "sessions.revoked_others"
	OrgSecurityChanged    = "org.security_changed"
	NotificationsChanged  = "notifications.changed"
	HistoryExported       = "history.exported"
	HistoryHeadExported   = "history.head_exported"
	HistoryVerified       = "history.verified"
	// A connected desktop's change the server refused, given up by its author.
	OperationDiscarded = "sync.discarded"
	// Organizations, company profiles and tasks.
	OrgCreated            = "org.created"
	OrgImported           = "org.imported"
	OrgUpdated            = "org.updated"
	OrgSwitched           = "org.switched"
	OrgClosedAction       = "org.closed"
	OrgReopened           = "org.reopened"
	CompanyProfileChanged = "company.changed"
	TaskCreated           = "task.created"
	TaskUpdated           = "task.updated"
	TaskCompleted         = "task.completed"
	TaskReopened          = "task.reopened"
	// Members, roles, rights and applications.
	MemberUpdated       = "member.updated"
	MemberRolesChanged  = "member.roles_changed"
	MemberDisabled      = "member.disabled"
	MemberEnabled       = "member.enabled"
	MemberDeleted       = "member.deleted"
	MemberAway          = "member.away"
	MemberReturned      = "member.returned"
	MembersExported     = "members.exported"
	MembersImported     = "members.imported"
	RightGranted        = "right.granted"
	RightRevoked        = "right.revoked"
	RoleCreated         = "role.created"
	RoleUpdated         = "role.updated"
	RoleDeleted         = "role.deleted"
	ApplicationEnabled  = "application.enabled"
	ApplicationDisabled = "application.disabled"
	ApplicationGranted  = "application.granted"
	ApplicationRevoked  = "application.revoked"
	// Mail, invitations, recovery and deletion.
	MailSettingsChanged    = "mail.settings_changed"
	MailRequeued           = "mail.requeued"
	MailTestSent           = "mail.test_sent"
	InvitationSent         = "invitation.sent"
	InvitationResent       = "invitation.resent"
	InvitationRevoked      = "invitation.revoked"
	InvitationAccepted     = "invitation.accepted"
	PasswordResetRequested = "password.reset_requested"
	PasswordReset          = "password.reset"
	EmailChangeRequested   = "email.change_requested"
	EmailChanged           = "email.changed"
	AccountDeleted         = "account.deleted"
	OrgDeleted             = "org.deleted"
	// A deletion code mailed (the deletion itself waits for it).
	AccountDeletionRequested = "account.deletion_requested"
	OrgDeletionRequested     = "org.deletion_requested"
	// A person took a copy of their own data (SPEC E3).
	PersonalDataExported = "account.data_exported"
)

// Event is one stored history entry.
type Event struct {
	Seq         int64 `gorm:"primaryKey;autoIncrement:false"`
	ID          string
	At          time.Time
	OrgID       *string
	ActorID     *string
	SessionID   *string
	Device      string
	Action      string
	SubjectType string
	SubjectID   string
	Details     string
	// OrgSeq numbers an organization's keyed entries 1, 2, 3…, so that its
	// own check finds a removed entry without walking the others'. Nil for
	// entries outside any organization and for those written before the key.
	OrgSeq   *int64
	PrevHash string
	Hash     string
}

func (Event) TableName() string { return "audit_events" }

type head struct {
	ID   int `gorm:"primaryKey"`
	Seq  int64
	Hash string
	MAC  string `gorm:"column:mac"` // keyed (seq, hash): only the key's holder can move the head
}

func (head) TableName() string { return "audit_head" }

// Entry is what a service records. By is who acted (zero for nobody: a
// refused sign-in, a background job); the device comes from the context.
type Entry struct {
	By          domain.Actor
	OrgID       string
	Action      string
	SubjectType string
	SubjectID   string
	Details     map[string]any
}

// Recorder appends entries to the history.
type Recorder struct {
	store *store.Store
	key   Key
	now   func() time.Time
	read  atomic.Int64 // entries read by the checks
}

// Option adjusts New.
type Option func(*Recorder)

// WithKey keys the chain with k (see Open, which reads it from its file).
func WithKey(k Key) Option {
	return func(r *Recorder) { r.key = append(Key(nil), k...) }
}

// WithClock dates entries and checkpoints by now, the services' clock
// (default the system's).
func WithClock(now func() time.Time) Option {
	return func(r *Recorder) { r.now = now }
}

// New returns a recorder writing through st. Without WithKey it makes a key
// of its own that nothing else knows: only this recorder can then check what
// it wrote (tests, benchmarks). The programs always give their key file's.
func New(st *store.Store, opts ...Option) *Recorder {
	r := &Recorder{store: st}
	for _, o := range opts {
		o(r)
	}
	if len(r.key) == 0 {
		r.key = NewKey()
	}
	if r.now == nil {
		r.now = time.Now
	}
	return r
}

// EntriesRead tells how many entries this recorder's checks have read so far,
// so tests and benchmarks can see what a check costs.
func (r *Recorder) EntriesRead() int64 { return r.read.Load() }

// Record appends e. Inside a transaction it is part of it, so an action and
// its history entry are written together or not at all.
func (r *Recorder) Record(ctx context.Context, e Entry) error {
	return r.store.Tx(ctx, func(ctx context.Context) error {
		ap, err := r.begin(ctx)
		if err != nil {
			return err
		}
		ev, err := ap.next(ctx, e, r.now(), e.By.AccountID, e.By.SessionID, domain.DeviceFrom(ctx).Label())
		if err != nil {
			return err
		}
		if err := ap.db.Create(&ev).Error; err != nil {
			return err
		}
		return ap.finish(ctx)
	})
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

const timeFormat = time.RFC3339Nano

// plainHash is how entries were chained before the key (plain SHA-256 over
// every stored field and the previous hash); those entries are still checked
// with it, up to the seal.
func (e Event) plainHash() string {
	fields := []string{
		itoa(e.Seq), e.ID, e.At.UTC().Format(timeFormat), deref(e.OrgID),
		deref(e.ActorID), deref(e.SessionID), e.Device, e.Action, e.SubjectType, e.SubjectID,
		e.Details, e.PrevHash,
	}
	sum := sha256.Sum256([]byte(strings.Join(fields, "\x1f")))
	return hex.EncodeToString(sum[:])
}

// keyedHash chains an entry written under the key: every stored field, its
// number in its organization and the previous hash, keyed.
func (r *Recorder) keyedHash(e Event) string {
	orgSeq := ""
	if e.OrgSeq != nil {
		orgSeq = itoa(*e.OrgSeq)
	}
	return r.mac("entry", itoa(e.Seq), e.ID, e.At.UTC().Format(timeFormat), deref(e.OrgID),
		deref(e.ActorID), deref(e.SessionID), e.Device, e.Action, e.SubjectType, e.SubjectID,
		e.Details, orgSeq, e.PrevHash)
}

// holds tells whether e's hash is what its content gives: plainly up to the
// seal, keyed after it.
func (r *Recorder) holds(e Event, sealSeq int64) bool {
	if e.Seq <= sealSeq {
		return e.OrgSeq == nil && e.plainHash() == e.Hash
	}
	return r.keyedHash(e) == e.Hash
}

// details encodes an entry's details as stored.
func details(d map[string]any) (string, error) {
	if len(d) == 0 {
		return "{}", nil
	}
	b, err := json.Marshal(d)
	return string(b), err
}
