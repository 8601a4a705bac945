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
		later := false
		for _, a := range res.Answers {
			switch a.Outcome {
			case service.PushAccepted:
				err = st.OperationAccepted(ctx, a.ID)
				rep.Accepted++
			case service.PushRefused:
				b, _ := json.Marshal(a.Refusal)
				err = st.OperationRefused(ctx, a.ID, string(b), now())
				rep.Refused++
			default:
				later = true
				rep.Waiting++
			}
			if err != nil {
				return rep, err
			}
		}
		if later || len(res.Answers) < len(waiting) {
			return rep, nil
		}
	}
}
