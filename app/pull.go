package app

import (
	"context"
	"errors"

	"atrium/backend/domain"
	"atrium/backend/replica"
	"atrium/backend/service"
)

func pullChanges(ctx context.Context, sys *service.System, cl *replica.Client) error { return nil }

func firstSync(ctx context.Context, sys *service.System, cl *replica.Client, accountID string, dev domain.Device) (string, int, error) {
	return "", 0, errors.New("pull not merged yet")
}

func (c *connection) base(ctx context.Context, sys *service.System) int64 { return 0 }

var errSignedOut, errVersion = errors.New("signed out"), errors.New("version")
