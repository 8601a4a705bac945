package service

import (
	"context"
	"encoding/json"
	"time"

	"atrium/backend/audit"
	"atrium/backend/domain"
	"atrium/backend/store"
)

// A desktop connected to an Atrium server works on a replica of what its
// account may read there. The connection itself (the server's address, its
// certificate, the session on the server, the sync loop) is the desktop's:
// it gives the services a SyncConnection (app/ implements it), as it gives
// its file dialogs, and only its registry has the operations below that
// drive it. Discarding a refused change is an act of the organization's
// history, so sync.discard is an ordinary replayable operation: the desktop
// queues it, and the server records it when it is pushed.

// SyncConnection is the desktop's link to a server.
type SyncConnection interface {
	// Status is the connection's state at a glance.
	Status(ctx context.Context) (SyncStatus, error)
	// Probe checks an address before any password is sent.
	Probe(ctx context.Context, in ProbeServerInput) (ServerProbe, error)
	// Connect signs in on the server and makes the replica; the desktop
	// then runs on it (Result.Reopen with the replica's local session).
	Connect(ctx context.Context, in ConnectInput) (Connected, error)
	// Disconnect forgets the server; the desktop goes back to its own file.
	Disconnect(ctx context.Context) (Disconnected, error)
	// Retry runs a refused operation again, with input, as a new queued
	// operation; the refused one leaves the list when it succeeds.
	Retry(ctx context.Context, p store.PendingOperation, input []byte) error
}

// KnownSchema is the schema version this build's databases have, which a
// server and a connected desktop must share: the server's health says it.
func KnownSchema() int64 { return store.KnownSchema() }

// Sync states, as the shell's indicator shows them.
const (
	SyncLocal              = "local"              // not connected: the desktop's own file
	SyncOnline             = "online"             // connected, the last contact succeeded
	SyncOffline            = "offline"            // connected, the server cannot be reached
	SyncSignedOut          = "signedOut"          // the server ended this desktop's session: sign in again
	SyncCertificateChanged = "certificateChanged" // the server shows another certificate: nothing is sent
	SyncVersion            = "version"            // the server and this desktop are of different versions
)

// SyncStatus is the connection's state at a glance.
type SyncStatus struct {
	Connected bool   `json:"connected"`
	State     string `json:"state"`
	Server    string `json:"server,omitempty"`
	Email     string `json:"email,omitempty"`
	// Waiting: changes made here, not yet sent; Refused: refused by the
	// server, listed on the refused changes page.
	Waiting    int64      `json:"waiting"`
	Refused    int64      `json:"refused"`
	LastSyncAt *time.Time `json:"lastSyncAt,omitempty"`
	// LocalDossiers: the desktop's own file holds organizations, which stay
	// on this computer while it is connected.
	LocalDossiers bool `json:"localDossiers"`
	// Fetching is the first sync under way while connecting: rows of the
	// organizations in, out of how many.
	Fetching *SyncProgress `json:"fetching,omitempty"`
	// Versions, in the state "version": the server's and this desktop's,
	// and which one to update ("desktop" or "server").
	Versions *SyncVersions `json:"versions,omitempty"`
}

// SyncVersions names the versions of a server and a desktop that cannot sync.
type SyncVersions struct {
	Server  string `json:"server"`
	Desktop string `json:"desktop"`
	Update  string `json:"update"`
}

// SyncProgress is how far the first sync is.
type SyncProgress struct {
	Done  int `json:"done"`
	Total int `json:"total"`
}

// ProbeServerInput is the address the person typed.
type ProbeServerInput struct {
	Server string `json:"server"`
}

// ServerProbe is what the desktop learnt of the address before any password
// is sent. Fingerprint is set when the server's certificate is not one the
// system trusts: the person accepts it (once) by sending it back with the
// connection.
type ServerProbe struct {
	Server      string `json:"server"`
	Version     string `json:"version"`
	Fingerprint string `json:"fingerprint,omitempty"`
	// DesktopVersion is this desktop's version; Update, when set, says the
	// two cannot sync until one is updated: "desktop" (the server is newer)
	// or "server" (it is older). No password is asked for then.
	DesktopVersion string `json:"desktopVersion"`
	Update         string `json:"update,omitempty"`
}

// ConnectInput signs in on the server: the address as probed, the
// certificate's fingerprint when the person accepted it, the account's email
// and password, and then (when the account has one) the second factor's
// code with the pending token of the first answer.
type ConnectInput struct {
	Server       string `json:"server"`
	Fingerprint  string `json:"fingerprint,omitempty"`
	Email        string `json:"email"`
	Password     string `json:"password" text:"secret"`
	PendingToken string `json:"pendingToken,omitempty"`
	Code         string `json:"code,omitempty"`
	// Upload names the desktop's own dossiers (sync.localDossiers) to send
	// to the server once the account is accepted there; the others stay on
	// this computer. Only on a first connection.
	Upload []string `json:"upload,omitempty"`
}

// Connected answers a connection: either the second factor is needed
// (PendingTwoFactor), or the desktop is connected and reopens on its replica.
type Connected struct {
	PendingTwoFactor *string `json:"pendingTwoFactor,omitempty"`
	Server           string  `json:"server,omitempty"`
	Organizations    int     `json:"organizations"`
	// Uploaded: the desktop's dossiers sent to the server; Invited: their
	// members without an account there, prepared as invitations not sent.
	Uploaded int `json:"uploaded"`
	Invited  int `json:"invited"`
	token    string
}

func (c Connected) issuedToken() string   { return c.token }
func (c Connected) reopensDatabase() bool { return c.PendingTwoFactor == nil }

// WithToken is the connection done, with the replica's local session.
func (c Connected) WithToken(token string) Connected { c.token = token; return c }

// Disconnected: the desktop is back on its own file, signed out.
type Disconnected struct {
	// Dropped counts the changes that were never sent.
	Dropped int64 `json:"dropped"`
}

func (Disconnected) reopensDatabase() bool { return true }

// LocalDossier is one of the desktop's own organizations that its user may
// send to a server: one they are the admin of.
type LocalDossier struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Members int64  `json:"members"`
	Tasks   int64  `json:"tasks"`
}

// LocalDossiers lists them, by name.
type LocalDossiers struct {
	Dossiers []LocalDossier `json:"dossiers"`
}

// RefusedChange is one refused operation, as the page shows it.
type RefusedChange struct {
	ID     string          `json:"id"`
	Op     string          `json:"op"`
	OrgID  string          `json:"orgId"`
	Input  json.RawMessage `json:"input"`
	By     string          `json:"by"` // the account's name
	MadeAt time.Time       `json:"madeAt"`
	Reason *domain.Error   `json:"reason"`
}

// RefusedChanges lists the account's refused operations, oldest first.
type RefusedChanges struct {
	Changes []RefusedChange `json:"changes"`
}

// RetryInput runs a refused operation again with its input (edited or not).
type RetryInput struct {
	ID    string          `json:"id"`
	Input json.RawMessage `json:"input,omitempty"`
}

// DiscardInput names the refused operation to discard.
type DiscardInput struct {
	ID string `json:"id"`
}

// RefusedRef names the refused operation retried or discarded.
type RefusedRef struct {
	ID string `json:"id"`
}

// Sync is the desktop's connection as operations, and the discard every
// registry has.
type Sync struct {
	Deps
	conn SyncConnection
}

func (s *Sync) Status(ctx context.Context, _ domain.Actor, _ Empty) (SyncStatus, error) {
	return s.conn.Status(ctx)
}

func (s *Sync) Probe(ctx context.Context, _ domain.Actor, in ProbeServerInput) (ServerProbe, error) {
	return s.conn.Probe(ctx, in)
}

func (s *Sync) Connect(ctx context.Context, _ domain.Actor, in ConnectInput) (Connected, error) {
	return s.conn.Connect(ctx, in)
}

func (s *Sync) Disconnect(ctx context.Context, _ domain.Actor, _ Empty) (Disconnected, error) {
	return s.conn.Disconnect(ctx)
}

// LocalDossiers lists the desktop's own organizations the caller is the
// admin of, which connecting may send to the server. Connected already, the
// open file is the server's replica: there is nothing of the desktop's own
// to send.
func (s *Sync) LocalDossiers(ctx context.Context, a domain.Actor, _ Empty) (LocalDossiers, error) {
	out := LocalDossiers{Dossiers: []LocalDossier{}}
	st, err := s.conn.Status(ctx)
	if err != nil || st.Connected {
		return out, err
	}
	orgs, err := s.Store.AdminOrganizations(ctx, a.AccountID)
	if err != nil {
		return out, err
	}
	for _, o := range orgs {
		d := LocalDossier{ID: o.ID, Name: o.Name}
		if d.Members, d.Tasks, err = s.Store.CountOrgRows(ctx, o.ID); err != nil {
			return out, err
		}
		out.Dossiers = append(out.Dossiers, d)
	}
	return out, nil
}

// Refused lists the caller's refused changes on this replica.
func (s *Sync) Refused(ctx context.Context, a domain.Actor, _ Empty) (RefusedChanges, error) {
	ops, err := s.Store.RefusedOperations(ctx, a.AccountID)
	if err != nil {
		return RefusedChanges{}, err
	}
	out := RefusedChanges{Changes: make([]RefusedChange, 0, len(ops))}
	names := map[string]string{}
	for _, p := range ops {
		name, ok := names[p.AccountID]
		if !ok {
			if acc, err := s.Store.AccountByID(ctx, p.AccountID); err == nil {
				name = acc.FirstName + " " + acc.LastName
			}
			names[p.AccountID] = name
		}
		c := RefusedChange{ID: p.ID, Op: p.Op, Input: json.RawMessage(p.Input), By: name, MadeAt: p.MadeAt, Reason: refusalOf(p.Refusal)}
		if p.OrgID != nil {
			c.OrgID = *p.OrgID
		}
		if !json.Valid(c.Input) {
			c.Input = json.RawMessage("{}")
		}
		out.Changes = append(out.Changes, c)
	}
	return out, nil
}

// refusalOf reads a refusal kept as JSON; one unreadable stays a refusal.
func refusalOf(raw *string) *domain.Error {
	e := &domain.Error{Code: domain.CodeInternal}
	if raw != nil {
		_ = json.Unmarshal([]byte(*raw), e)
	}
	return e
}

// Retry runs one of the caller's refused operations again, as a new one.
func (s *Sync) Retry(ctx context.Context, a domain.Actor, in RetryInput) (RefusedRef, error) {
	p, ok, err := s.Store.RefusedOperation(ctx, a.AccountID, in.ID)
	if err != nil {
		return RefusedRef{}, err
	}
	if !ok {
		return RefusedRef{}, domain.Errorf(domain.CodeNotFound, "no such refused change")
	}
	input := []byte(p.Input)
	if len(in.Input) > 0 && string(in.Input) != "null" {
		input = in.Input
	}
	return RefusedRef{ID: p.ID}, s.conn.Retry(ctx, p, input)
}

// Discard gives up one of the caller's refused operations in the
// organization it acted on, and records it in the history with what was
// attempted and why it was refused. On the replica the refused operation
// leaves the list in the same transaction; on the server, where it was
// refused, the history gets the same entry when the discard is pushed.
func (s *Sync) Discard(ctx context.Context, a domain.Actor, in DiscardInput) (RefusedRef, error) {
	err := s.write(ctx, a, func(w *Write) error {
		op, reason, ok, err := s.refusedHere(w.Ctx(), a, in.ID)
		if err != nil {
			return err
		}
		if !ok {
			return domain.Errorf(domain.CodeNotFound, "no such refused change")
		}
		if err := s.Store.DropRefused(w.Ctx(), in.ID); err != nil {
			return err
		}
		if err := w.Changed(a.OrgID, "discarded_operation", in.ID, "deleted", nil); err != nil {
			return err
		}
		return w.Record(audit.Entry{OrgID: a.OrgID, Action: audit.OperationDiscarded, SubjectType: "operation",
			SubjectID: in.ID, Details: map[string]any{"operation": op, "reason": string(reason)}})
	})
	return RefusedRef{ID: in.ID}, err
}

// refusedHere finds the caller's refused operation id of the organization
// acted on: in the replica's queue, or among the operations the server
// refused.
func (s *Sync) refusedHere(ctx context.Context, a domain.Actor, id string) (op string, reason domain.Code, ok bool, err error) {
	if p, found, err := s.Store.RefusedOperation(ctx, a.AccountID, id); err != nil || found {
		if found && (p.OrgID == nil || *p.OrgID != a.OrgID) {
			return "", "", false, err
		}
		return p.Op, refusalOf(p.Refusal).Code, found, err
	}
	rec, found, err := s.Store.Replayed(ctx, id)
	if err != nil || !found || rec.AccountID != a.AccountID || rec.Outcome != store.ReplayRefused ||
		rec.OrgID == nil || *rec.OrgID != a.OrgID {
		return "", "", false, err
	}
	return rec.Op, refusalOf(rec.Refusal).Code, true, nil
}

// connected says whether the services run on a connected desktop's replica.
func (d *Deps) connected(ctx context.Context) bool {
	if d.Desktop == nil || d.Desktop.Connection == nil {
		return false
	}
	st, err := d.Desktop.Connection.Status(ctx)
	return err == nil && st.Connected
}

// describeOnly stands for a connection in Describe, which only lists the
// operations.
type describeOnly struct{}

func (describeOnly) Status(context.Context) (SyncStatus, error) { return SyncStatus{}, errNotConnected }
func (describeOnly) Probe(context.Context, ProbeServerInput) (ServerProbe, error) {
	return ServerProbe{}, errNotConnected
}
func (describeOnly) Connect(context.Context, ConnectInput) (Connected, error) {
	return Connected{}, errNotConnected
}
func (describeOnly) Disconnect(context.Context) (Disconnected, error) {
	return Disconnected{}, errNotConnected
}
func (describeOnly) Retry(context.Context, store.PendingOperation, []byte) error {
	return errNotConnected
}

var errNotConnected = domain.Errorf(domain.CodeNotConnected, "not connected to a server")
