package domain

import "github.com/google/uuid"

// NewID returns a UUIDv7: time-ordered, created by whoever creates the row, so
// an offline desktop and the server never collide.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }
