package service

import (
	"context"
	"encoding/json"
	"time"

	"atrium/backend/domain"
)

// Changes reads the change log for one account: what the console's live
// refresh and, later, a connected desktop's replica apply.
type Changes struct {
	Deps
	auth *Auth
}

// changeReadRight is the right that reads each kind of record an
// organization's change log carries, as the operations that list them
// require it ("" for what every active member reads). A kind missing here
// never travels: a new kind stays private until it is given its right.
var changeReadRight = map[string]domain.Right{
	"organization":        "",
	"company_profile":     "",
	"org_security_policy": "",
	"membership":          domain.RightMembersView,
	"invitation":          domain.RightMembersView,
	"role":                domain.RightMembersView,
	"application":         domain.RightMembersView,
	"task":                domain.RightTasksView,
	"outbox_message":      domain.RightOrgEdit,
}

// PullChangesInput asks for what changed after a position; After -1 asks
// only for the current position, to follow from now on.
type PullChangesInput struct {
	After int64 `json:"after"`
	Limit int   `json:"limit"`
}

// ChangeEntry is one change the account may read.
type ChangeEntry struct {
	Seq    int64           `json:"seq"`
	Org    string          `json:"org"`
	Entity string          `json:"entity"`
	ID     string          `json:"id"`
	Action string          `json:"action"`
	State  json.RawMessage `json:"state,omitempty"`
	At     time.Time       `json:"at"`
}

// ChangePage is a page of changes and the position to ask from next: past
// the entries the account may not read, so a reader never asks for them again.
type ChangePage struct {
	Items []ChangeEntry `json:"items"`
	Next  int64         `json:"next"`
}

const maxChangePage = 1000

// Pull returns the changes after in.After that the account may read: those
// of the organizations it is an active member of (and has turned on the
// two-step sign-in they require), each kind only with the right that lists
// it. Another account's data, sessions and codes never travel.
func (s *Changes) Pull(ctx context.Context, a domain.Actor, in PullChangesInput) (ChangePage, error) {
	errs := domain.FieldErrors{}
	if in.After < -1 {
		errs.Add("after", domain.FieldInvalidChoice)
	}
	if in.Limit <= 0 || in.Limit > maxChangePage {
		in.Limit = maxChangePage
	}
	if err := errs.Err(); err != nil {
		return ChangePage{}, err
	}
	last, err := s.Store.LastChange(ctx)
	if err != nil || in.After == -1 || in.After >= last {
		return ChangePage{Items: []ChangeEntry{}, Next: max(last, in.After)}, err
	}
	readers, err := s.readers(ctx, a.AccountID)
	if err != nil {
		return ChangePage{}, err
	}
	orgIDs := make([]string, 0, len(readers))
	for id := range readers {
		orgIDs = append(orgIDs, id)
	}
	rows, err := s.Store.ChangesOf(ctx, orgIDs, in.After, last, in.Limit)
	if err != nil {
		return ChangePage{}, err
	}
	page := ChangePage{Items: []ChangeEntry{}, Next: last}
	if len(rows) == in.Limit {
		page.Next = rows[len(rows)-1].Seq
	}
	for _, c := range rows {
		right, known := changeReadRight[c.Entity]
		if !known || (right != "" && !readers[*c.OrgID].Has(right)) {
			continue
		}
		e := ChangeEntry{Seq: c.Seq, Org: *c.OrgID, Entity: c.Entity, ID: c.EntityID, Action: c.Action, At: c.At}
		if c.State != nil {
			e.State = json.RawMessage(*c.State)
		}
		page.Items = append(page.Items, e)
	}
	return page, nil
}

// readers gives, for each organization the account may read now, the
// account as it acts there.
func (s *Changes) readers(ctx context.Context, accountID string) (map[string]domain.Actor, error) {
	ids, err := s.Store.ActiveOrgIDs(ctx, accountID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]domain.Actor, len(ids))
	for _, orgID := range ids {
		mr, err := s.Store.RightsOf(ctx, orgID, accountID)
		if err != nil {
			return nil, err
		}
		if !mr.Active {
			continue
		}
		if must, err := s.auth.mustEnrollTwoFactor(ctx, accountID, orgID); err != nil || must {
			if err != nil {
				return nil, err
			}
			continue
		}
		out[orgID] = domain.Actor{AccountID: accountID, OrgID: orgID, IsAdmin: mr.IsAdmin, Rights: mr.Rights}
	}
	return out, nil
}
