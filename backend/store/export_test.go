package store

import "context"

// MigrateTo moves the schema to version v, down or up: for tests of the
// upgrade path with data written by an older version.
func (s *Store) MigrateTo(ctx context.Context, v int64) error {
	p, err := s.provider()
	if err != nil {
		return err
	}
	cur, err := p.GetDBVersion(ctx)
	if err != nil {
		return err
	}
	if v < cur {
		_, err = p.DownTo(ctx, v)
	} else {
		_, err = p.UpTo(ctx, v)
	}
	return err
}
