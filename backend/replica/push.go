package replica

import (
	"context"
	"encoding/json"

	"time"

	"atrium/backend/service"
	"atrium/backend/store"
)

// PushReport says what one push did: how many operations the server
// accepted or refused, and how many still wait.
type PushReport struct {
	Accepted, Refused, Waiting int
}

// Push sends the replica's waiting operations to the server, oldest first,
// in batches, and files each answer: an accepted operation leaves the queue,
// a refused one stays with its reason among the refused changes, one to send
// later stays waiting (and so do those after it). Nothing leaves the queue
// before the server's answer is in: an answer lost on the way means the
// operation is sent again, and the server applies it once.
func Push(ctx context.Context, st *store.Store, c *Client, now func() time.Time) (PushReport, error) {
	var rep PushReport
	for {
		waiting, err := st.WaitingOperations(ctx, service.MaxPush)
		if err != nil || len(waiting) == 0 {
			return rep, err
		}
		ops := make([]service.PushedOperation, len(waiting))
		for i, p := range waiting {
			ops[i] = service.Pending(p)
		}
		res, err := c.Push(ctx, ops)
		if err != nil {
			rep.Waiting = len(waiting)
			return rep, err
		}
		// The answers are filed in one local transaction: all or none, and
		// one commit rather than one per operation.
		later := false
		var filed PushReport
		err = st.Tx(ctx, func(ctx context.Context) error {
			filed, later = PushReport{}, false
			for _, a := range res.Answers {
				var err error
				switch a.Outcome {
				case service.PushAccepted:
					err = st.OperationAccepted(ctx, a.ID)
					filed.Accepted++
				case service.PushRefused:
					b, _ := json.Marshal(a.Refusal)
					err = st.OperationRefused(ctx, a.ID, string(b), now())
					filed.Refused++
				default:
					later = true
					filed.Waiting++
				}
				if err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return rep, err
		}
		rep.Accepted, rep.Refused, rep.Waiting = rep.Accepted+filed.Accepted, rep.Refused+filed.Refused, rep.Waiting+filed.Waiting
		if later || len(res.Answers) < len(waiting) {
			return rep, nil
		}
	}
}
