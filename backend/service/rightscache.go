package service

import (
	"context"
	"sync"

	"atrium/backend/store"
)

// rightsCache keeps what each member may do in each organization, so a call
// does not read roles, grants and the two-factor policy again. An entry is
// valid while its organization's rights version (organizations.rights_version,
// raised by triggers on every write that changes rights, whatever process
// made it) is the one read with the session: the check stays exact after any
// change, here or on another server process sharing the database.
type rightsCache struct {
	mu      sync.RWMutex
	entries map[rightsKey]memberAccess
}

type rightsKey struct{ orgID, accountID string }

// memberAccess is what authorize needs of a membership. Its Rights map is
// shared by every call that reads it: never written after it is cached.
type memberAccess struct {
	version             int64
	rights              store.MemberRights
	mustEnrollTwoFactor bool
}

// maxRightsEntries bounds the cache; past it, it starts again empty (a cheap
// bound for a server with many members: each entry costs one resolution).
const maxRightsEntries = 50_000

func newRightsCache() *rightsCache { return &rightsCache{entries: map[rightsKey]memberAccess{}} }

// access returns the member's access at the given rights version, computing
// it with load when the cached one is older (or absent).
func (c *rightsCache) access(ctx context.Context, orgID, accountID string, version int64,
	load func(ctx context.Context) (memberAccess, error)) (memberAccess, error) {
	if c == nil { // an Auth built for one call (setup, switching): no cache
		return load(ctx)
	}
	k := rightsKey{orgID, accountID}
	c.mu.RLock()
	e, ok := c.entries[k]
	c.mu.RUnlock()
	if ok && e.version == version {
		return e, nil
	}
	// The version was read before loading: a change committed meanwhile
	// raised it, so the next call reloads rather than trusting this entry.
	e, err := load(ctx)
	if err != nil || store.InTx(ctx) {
		// Read inside a transaction (a push's operations), the version may
		// be one that is never committed, and then given again to other
		// rights: only what was committed is kept.
		return e, err
	}
	e.version = version
	c.mu.Lock()
	if len(c.entries) >= maxRightsEntries {
		clear(c.entries)
	}
	c.entries[k] = e
	c.mu.Unlock()
	return e, nil
}
