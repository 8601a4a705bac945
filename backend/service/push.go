package service

import (
	"context"
	"encoding/json"
	"time"

	"atrium/backend/domain"
	"atrium/backend/store"

	"github.com/google/uuid"
)

// A connected desktop applies each writing operation on its replica at once
// and queues it; when the server is reachable it pushes the queue, in order,
// and the server replays each operation through the registry, with the
// account's rights as they are now. Each is applied exactly once however
// often it arrives: its id is recorded in the transaction of its effects.

// PushedOperation is one operation a connected desktop made and queued.
type PushedOperation struct {
	// ID is the operation's own id (a UUID the desktop drew when it was
	// made): the key that makes a second push of it change nothing.
	ID    string          `json:"id"`
	Op    string          `json:"op"`
	Org   string          `json:"org"`
	Input json.RawMessage `json:"input"`
	// At is when it was made on the desktop: the records it creates carry
	// ids stamped with it, the same on the replica and on the server.
	At time.Time `json:"at"`
}

// PushRequest is the body of a push (POST /api/sync/push).
type PushRequest struct {
	Ops []PushedOperation `json:"ops"`
}

// DesktopAgent starts the User-Agent a connected desktop sends, so the
// account's list of devices names it: "AtriumDesktop/<version> (<platform>;
// <computer name>)".
const DesktopAgent = "AtriumDesktop/"

// What the server answers for one pushed operation.
const (
	PushAccepted = store.ReplayAccepted
	PushRefused  = store.ReplayRefused
	// PushLater: not applied, for a reason that is not the operation's (the
	// server failed, the session ended): it stays queued and is sent again.
	PushLater = "later"
)

// PushAnswer is the server's answer for one pushed operation.
type PushAnswer struct {
	ID      string        `json:"id"`
	Outcome string        `json:"outcome"`
	Refusal *domain.Error `json:"refusal,omitempty"`
}

// PushResult answers a push, one answer per operation in the order sent.
// Token is set when an operation gave the session a new token.
type PushResult struct {
	Answers []PushAnswer `json:"answers"`
	Token   string       `json:"-"`
}

// MaxPush bounds how many operations one push carries; a longer queue is
// pushed in several.
const MaxPush = 500

// Replayable reports whether an operation may be made offline and replayed
// by the server: it writes into an organization, as one of its members, and
// neither starts nor ends a session. Anything about signing in, passwords or
// second factors needs the server at once.
func (op *Operation) Replayable() bool {
	return op.Writes && op.Access == Member && op.Session == NoSessionChange
}

// pushPart bounds how many operations of a push share one transaction: the
// change-order lock (PostgreSQL) or the one writer (SQLite) is held for that
// many at most, so other writes wait a moment, not the whole push.
const pushPart = 50

// Push replays ops, in order, for the session token. An ended session
// refuses the whole push (unauthenticated): the desktop keeps its queue and
// asks to sign in again. Once one operation must wait (PushLater), those
// after it wait too, so the server never applies them out of order.
//
// The operations are applied pushPart at a time in one writing transaction,
// each within a savepoint: a refused one is rolled back alone, its refusal
// recorded in the transaction, and the next goes on; each applied one is
// recorded by its first write (store.WriteTx), with its effects.
func (r *Registry) Push(ctx context.Context, token string, dev domain.Device, ops []PushedOperation) (PushResult, error) {
	if len(ops) > MaxPush {
		return PushResult{}, domain.Errorf(domain.CodeTooLarge, "at most %d operations per push", MaxPush)
	}
	me, err := r.svc.Auth.resolve(ctx, token, "")
	if err != nil {
		return PushResult{}, domain.Public(err)
	}
	res := PushResult{Answers: make([]PushAnswer, 0, len(ops))}
	later := false
	for start := 0; start < len(ops); start += pushPart {
		part := ops[start:min(start+pushPart, len(ops))]
		if later {
			for i := range part {
				res.Answers = append(res.Answers, PushAnswer{ID: part[i].ID, Outcome: PushLater})
			}
			continue
		}
		var answers []replayAnswer
		err := r.svc.Auth.Store.WriteTx(ctx, func(ctx context.Context) error {
			answers = answers[:0]
			done, err := r.answeredAll(ctx, me.AccountID, part)
			if err != nil {
				return err
			}
			for i := range part {
				p := &part[i]
				if later {
					answers = append(answers, replayAnswer{PushAnswer: PushAnswer{ID: p.ID, Outcome: PushLater}})
					continue
				}
				a, err := r.replay(ctx, me.AccountID, token, dev, p, done)
				if err != nil {
					return err
				}
				if a.token != "" {
					token = a.token
				}
				later = a.Outcome == PushLater
				answers = append(answers, a)
			}
			return nil
		})
		if err != nil {
			return PushResult{}, domain.Public(err)
		}
		for _, a := range answers {
			if a.token != "" {
				res.Token = a.token
			}
			res.Answers = append(res.Answers, a.PushAnswer)
		}
	}
	return res, nil
}

type replayAnswer struct {
	PushAnswer
	token string // the session's new token, when the operation gave it one
}

// replay applies one pushed operation inside the push's writing transaction
// ctx carries, in a savepoint of its own, or answers as it was answered
// before (done).
func (r *Registry) replay(ctx context.Context, accountID, token string, dev domain.Device, p *PushedOperation, done map[string]PushAnswer) (replayAnswer, error) {
	ans := replayAnswer{PushAnswer: PushAnswer{ID: p.ID}}
	refuse := func(e *domain.Error) (replayAnswer, error) {
		ans.Outcome, ans.Refusal = PushRefused, e
		return ans, nil
	}
	if !wellFormed(p) {
		return refuse(domain.Errorf(domain.CodeValidation, "a pushed operation needs its id and time"))
	}
	if op, ok := r.ops[p.Op]; !ok || !op.Replayable() {
		return refuse(domain.Errorf(domain.CodeValidation, "operation %q cannot be replayed", p.Op))
	}
	if d, ok := done[p.ID]; ok {
		ans.PushAnswer = d
		return ans, nil
	}
	rc := &replayCall{p: p, accountID: accountID, now: r.svc.Auth.now()}
	call := Call{Op: p.Op, Input: p.Input, Token: token, Org: p.Org, Device: dev, mark: rc.marked}
	var out Result
	recorded, err := r.svc.Auth.Store.Savepoint(ctx, func(ctx context.Context) error {
		var err error
		out, err = r.Invoke(ctx, call)
		return err
	})
	switch code := domain.CodeOf(err); {
	case err == nil:
		ans.token = out.Token
		ans.Outcome = PushAccepted
		if !recorded {
			// It found nothing to change, so no write recorded it.
			err = r.svc.Auth.Store.RecordReplayAccepted(ctx, rc.record())
		}
		return ans, err
	case rc.replay != nil && rc.replay.FoundApplied():
		// The same operation was applied before (sent twice in one push).
		done, _, err := r.answered(ctx, accountID, p.ID)
		ans.PushAnswer = done
		return ans, err
	case code == domain.CodeInternal || code == domain.CodeUnauthenticated || code == domain.CodeRateLimited:
		ans.Outcome = PushLater
		return ans, nil
	default:
		e := domain.Public(err)
		b, jerr := json.Marshal(e)
		if jerr != nil {
			return ans, jerr
		}
		if err := r.svc.Auth.Store.RecordReplayRefused(ctx, rc.record(), string(b)); err != nil {
			return ans, err
		}
		return refuse(e)
	}
}

// wellFormed reports whether a pushed operation has its id and time.
func wellFormed(p *PushedOperation) bool {
	_, err := uuid.Parse(p.ID)
	return err == nil && !p.At.IsZero()
}

// answeredAll returns how those of ops answered before were answered, read
// at once.
func (r *Registry) answeredAll(ctx context.Context, accountID string, ops []PushedOperation) (map[string]PushAnswer, error) {
	ids := make([]string, 0, len(ops))
	for i := range ops {
		if wellFormed(&ops[i]) {
			ids = append(ids, ops[i].ID)
		}
	}
	recs, err := r.svc.Auth.Store.ReplayedOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]PushAnswer, len(recs))
	for id, rec := range recs {
		if out[id], err = answerOf(accountID, rec); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// answered returns how a pushed operation was answered before, if it was.
func (r *Registry) answered(ctx context.Context, accountID, id string) (PushAnswer, bool, error) {
	rec, ok, err := r.svc.Auth.Store.Replayed(ctx, id)
	if err != nil || !ok {
		return PushAnswer{}, false, err
	}
	ans, err := answerOf(accountID, rec)
	return ans, err == nil, err
}

// answerOf is the answer a record of a pushed operation gives. Another
// account's operation id is refused, never told.
func answerOf(accountID string, rec store.ReplayedOperation) (PushAnswer, error) {
	ans := PushAnswer{ID: rec.ID, Outcome: rec.Outcome}
	switch {
	case rec.AccountID != accountID:
		ans.Outcome, ans.Refusal = PushRefused, domain.Errorf(domain.CodeConflict, "operation id already used")
	case rec.Outcome == PushRefused && rec.Refusal != nil:
		ans.Refusal = &domain.Error{}
		if err := json.Unmarshal([]byte(*rec.Refusal), ans.Refusal); err != nil {
			return PushAnswer{}, err
		}
	}
	return ans, nil
}

// replayCall is a pushed operation on its way through Invoke.
type replayCall struct {
	p         *PushedOperation
	accountID string
	now       time.Time
	replay    *store.Replay // set once Invoke reaches the operation
}

// record is what the server keeps of the operation: whose it is, on which
// organization, when it was answered.
func (rc *replayCall) record() store.ReplayedOperation {
	rec := store.ReplayedOperation{ID: rc.p.ID, AccountID: rc.accountID, Op: rc.p.Op, At: rc.now}
	if rc.p.Org != "" {
		org := rc.p.Org
		rec.OrgID = &org
	}
	return rec
}

// marked returns ctx in which the operation's writes record it as applied,
// and the records it creates take ids derived from it.
func (rc *replayCall) marked(ctx context.Context, a domain.Actor) context.Context {
	rec := rc.record()
	if a.OrgID != "" {
		rec.OrgID = &a.OrgID
	}
	rc.replay = store.NewReplay(rec)
	return domain.WithIDSeed(store.WithReplay(ctx, rc.replay), rc.p.ID, rc.p.At)
}
