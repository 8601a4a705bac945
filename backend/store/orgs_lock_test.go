package store_test

import (
	"context"
	"testing"
	"time"

	"atrium/backend/domain"
	"atrium/backend/storetest"
)

// A write into an organization named by an invitation holds the organization
// until it commits: closing it meanwhile waits, so the member is not let into
// an organization closed under its feet.
func TestOrgStatusForWriteHoldsTheOrganization(t *testing.T) {
	st := storetest.Postgres(t)
	ctx := context.Background()
	now := time.Now().UTC()
	org := domain.Organization{ID: domain.NewID(), Name: "Cabinet Martin", Timezone: "Europe/Paris", Status: domain.OrgActive, CreatedAt: now, UpdatedAt: now}
	if err := st.Create(ctx, &org); err != nil {
		t.Fatal(err)
	}
	if s, err := st.OrgStatusForWrite(ctx, "no-such-org"); domain.CodeOf(err) != domain.CodeNotFound {
		t.Fatalf("unknown organization: %q %v", s, err)
	}
	held, closed := make(chan struct{}), make(chan error, 1)
	go func() {
		<-held
		closed <- st.UpdateOrganization(ctx, org.ID, map[string]any{"status": domain.OrgClosed})
	}()
	err := st.Tx(ctx, func(ctx context.Context) error {
		status, err := st.OrgStatusForWrite(ctx, org.ID)
		if err != nil || status != domain.OrgActive {
			t.Fatalf("status %q, %v", status, err)
		}
		close(held)
		select {
		case err := <-closed:
			t.Fatalf("the organization was closed while a write held it (%v)", err)
		case <-time.After(300 * time.Millisecond):
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-closed:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("closing never went through")
	}
	if s, err := st.OrgStatusForWrite(ctx, org.ID); err != nil || s != domain.OrgClosed {
		t.Fatalf("after: %q %v", s, err)
	}
}
