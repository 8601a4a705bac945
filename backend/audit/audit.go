// Package audit keeps Atrium's history: an append-only list of events, each
// chained to the previous one by SHA-256 so that an edited, removed or
// cut-off entry is found by Verify.
package audit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math"
	"runtime"
	"strconv"
	"strings"
	"sync"
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

	// Account security (issue 7).
	PasswordChanged       = "password.changed"
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
	// Organizations, company profiles and tasks (issue 4).
	OrgCreated            = "org.created"
	OrgUpdated            = "org.updated"
	OrgSwitched           = "org.switched"
	OrgClosedAction       = "org.closed"
	OrgReopened           = "org.reopened"
	CompanyProfileChanged = "company.changed"
	TaskCreated           = "task.created"
	TaskUpdated           = "task.updated"
	TaskCompleted         = "task.completed"
	TaskReopened          = "task.reopened"
	// Members, roles, rights and applications (issue 5).
	MemberUpdated       = "member.updated"
	MemberRolesChanged  = "member.roles_changed"
	MemberDisabled      = "member.disabled"
	MemberEnabled       = "member.enabled"
	RightGranted        = "right.granted"
	RightRevoked        = "right.revoked"
	RoleCreated         = "role.created"
	RoleUpdated         = "role.updated"
	RoleDeleted         = "role.deleted"
	ApplicationEnabled  = "application.enabled"
	ApplicationDisabled = "application.disabled"
	ApplicationGranted  = "application.granted"
	ApplicationRevoked  = "application.revoked"
	// Mail, invitations and recovery (issue 6).
	MailSettingsChanged    = "mail.settings_changed"
	MailRequeued           = "mail.requeued"
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
	PrevHash    string
	Hash        string
}

func (Event) TableName() string { return "audit_events" }

type head struct {
	ID   int `gorm:"primaryKey"`
	Seq  int64
	Hash string
}

func (head) TableName() string { return "audit_head" }

// Entry is what a service records; who and from where come from the context.
type Entry struct {
	OrgID       string
	Action      string
	SubjectType string
	SubjectID   string
	Details     map[string]any
}

// Recorder appends entries to the history.
type Recorder struct {
	store *store.Store
}

// New returns a recorder writing through st.
func New(st *store.Store) *Recorder { return &Recorder{store: st} }

// Record appends e. Inside a transaction it is part of it, so an action and
// its history entry are written together or not at all.
func (r *Recorder) Record(ctx context.Context, e Entry) error {
	return r.store.Tx(ctx, func(ctx context.Context) error {
		db := r.store.DB(ctx)
		// Bumping the head first takes its row lock, so concurrent appends
		// queue up instead of forking the chain.
		if err := db.Exec("UPDATE audit_head SET seq = seq + 1 WHERE id = 1").Error; err != nil {
			return err
		}
		var h head
		if err := db.Take(&h, 1).Error; err != nil {
			return err
		}
		a, _ := domain.ActorFrom(ctx)
		ev, err := chained(h, e, time.Now(), a.AccountID, a.SessionID, domain.DeviceFrom(ctx).Label())
		if err != nil {
			return err
		}
		if err := db.Create(&ev).Error; err != nil {
			return err
		}
		return db.Exec("UPDATE audit_head SET hash = ? WHERE id = 1", ev.Hash).Error
	})
}

// chained builds the entry that follows head h, hashed. Record and
// AppendBulk both go through it, so there is one way to extend the chain.
func chained(h head, e Entry, at time.Time, actorID, sessionID, device string) (Event, error) {
	ev := Event{
		Seq: h.Seq, ID: domain.NewID(), At: at.UTC().Truncate(time.Microsecond), Device: device, Action: e.Action,
		SubjectType: e.SubjectType, SubjectID: e.SubjectID, Details: "{}", PrevHash: h.Hash,
		OrgID: nonEmpty(e.OrgID), ActorID: nonEmpty(actorID), SessionID: nonEmpty(sessionID),
	}
	if len(e.Details) > 0 {
		b, err := json.Marshal(e.Details)
		if err != nil {
			return Event{}, err
		}
		ev.Details = string(b)
	}
	ev.Hash = ev.computeHash()
	return ev, nil
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

// computeHash chains the entry to its predecessor: every stored field, and the
// previous hash, go into it.
func (e Event) computeHash() string {
	fields := []string{
		strconv.FormatInt(e.Seq, 10), e.ID, e.At.UTC().Format(time.RFC3339Nano), deref(e.OrgID),
		deref(e.ActorID), deref(e.SessionID), e.Device, e.Action, e.SubjectType, e.SubjectID,
		e.Details, e.PrevHash,
	}
	sum := sha256.Sum256([]byte(strings.Join(fields, "\x1f")))
	return hex.EncodeToString(sum[:])
}

// Report is the result of Verify. When OK is false, BrokenSeq names the first
// entry that does not hold and Problem says how.
type Report struct {
	OK        bool   `json:"ok"`
	Checked   int64  `json:"checked"`
	BrokenSeq int64  `json:"brokenSeq,omitempty"`
	BrokenID  string `json:"brokenId,omitempty"`
	Problem   string `json:"problem,omitempty"`
	HeadSeq   int64  `json:"headSeq"`
	HeadHash  string `json:"headHash"`
}

// Problems Verify reports.
const (
	ProblemAltered  = "altered"  // an entry's content no longer matches its hash
	ProblemUnlinked = "unlinked" // an entry does not follow the one before it
	ProblemMissing  = "missing"  // entries are missing before this one
	ProblemTailCut  = "tail_cut" // the newest entries are gone
)

// Verify walks the whole chain in order and reports the first broken entry.
// The chain is cut into segments read and hashed in parallel (reading rows is
// the slow part), then the segments' junctions are checked in order, so the
// answer is the same as one walk from the start: a million entries verify in
// a few seconds.
func (r *Recorder) Verify(ctx context.Context) (Report, error) {
	var h head
	if err := r.store.DB(ctx).Take(&h, 1).Error; err != nil {
		return Report{}, err
	}
	rep := Report{HeadSeq: h.Seq, HeadHash: h.Hash}
	parts := 1
	if h.Seq >= 100_000 {
		parts = max(2, runtime.GOMAXPROCS(0))
	}
	segs := make([]segment, parts)
	var wg sync.WaitGroup
	for i := range segs {
		from, to := h.Seq*int64(i)/int64(parts), h.Seq*int64(i+1)/int64(parts)
		if i == parts-1 {
			to = math.MaxInt64 // entries past the head are checked too
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			segs[i] = r.verifySegment(ctx, from, to)
		}()
	}
	wg.Wait()
	prevSeq, prevHash := int64(0), ""
	for _, sg := range segs {
		if sg.err != nil {
			return rep, sg.err
		}
		if sg.checked > 0 || sg.problem != "" {
			// The segment's first entry must follow the previous segment's last.
			switch {
			case sg.first.Seq != prevSeq+1:
				return rep.broken(sg.first, ProblemMissing), nil
			case sg.first.PrevHash != prevHash:
				return rep.broken(sg.first, ProblemUnlinked), nil
			}
		}
		rep.Checked += sg.checked
		if sg.problem != "" {
			return rep.broken(sg.at, sg.problem), nil
		}
		if sg.checked > 0 {
			prevSeq, prevHash = sg.last.Seq, sg.last.Hash
		}
	}
	if prevSeq != h.Seq || prevHash != h.Hash {
		rep.BrokenSeq, rep.Problem = prevSeq+1, ProblemTailCut
		return rep, nil
	}
	rep.OK = true
	return rep, nil
}

func (rep Report) broken(e Event, problem string) Report {
	rep.BrokenSeq, rep.BrokenID, rep.Problem = e.Seq, e.ID, problem
	return rep
}

// segment is what one part of the chain says about itself.
type segment struct {
	first, last Event
	checked     int64 // entries that hold, from the segment's first
	problem     string
	at          Event // the first entry that does not hold
	err         error
}

// verifySegment checks the entries with from < seq <= to: each one's hash,
// and that each follows the one before it inside the segment.
func (r *Recorder) verifySegment(ctx context.Context, from, to int64) (sg segment) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan []Event, 2)
	readErr := make(chan error, 1)
	go func() {
		defer close(batches)
		readErr <- r.readChain(ctx, from, to, batches)
	}()
	started := false
	for evs := range batches {
		for _, e := range evs {
			problem := ""
			switch {
			case !started:
				sg.first = e
			case e.Seq != sg.last.Seq+1:
				problem = ProblemMissing
			case e.PrevHash != sg.last.Hash:
				problem = ProblemUnlinked
			}
			if problem == "" && e.computeHash() != e.Hash {
				problem = ProblemAltered
			}
			if problem != "" {
				sg.problem, sg.at = problem, e
				return sg
			}
			started, sg.last = true, e
			sg.checked++
		}
	}
	sg.err = <-readErr
	return sg
}

// readChain sends the entries with after < seq <= to, oldest first, in
// batches, until ctx ends.
func (r *Recorder) readChain(ctx context.Context, after, to int64, out chan<- []Event) error {
	const batch = 10000
	db := r.store.DB(ctx)
	for {
		rows, err := db.Raw(`SELECT seq, id, at, org_id, actor_id, session_id, device, action, subject_type,
			subject_id, details, prev_hash, hash FROM audit_events WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?`,
			after, to, batch).Rows()
		if err != nil {
			return err
		}
		evs := make([]Event, 0, batch)
		for rows.Next() {
			var e Event
			if err := rows.Scan(&e.Seq, &e.ID, &e.At, &e.OrgID, &e.ActorID, &e.SessionID, &e.Device, &e.Action,
				&e.SubjectType, &e.SubjectID, &e.Details, &e.PrevHash, &e.Hash); err != nil {
				rows.Close()
				return err
			}
			evs = append(evs, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(evs) == 0 {
			return nil
		}
		select {
		case out <- evs:
		case <-ctx.Done():
			return nil
		}
		if len(evs) < batch {
			return nil
		}
		after = evs[len(evs)-1].Seq
	}
}
