package audit

import "context"

// Count counts the entries matching f, up to max (f's paging is ignored):
// how many rows an export of f will hold, for its progress bar. A free-text
// search reads every entry it looks through, as the export does.
func (r *Recorder) Count(ctx context.Context, f Filter, max int) (int64, error) {
	var n int64
	sub := r.query(ctx, f).Select("seq").Limit(max)
	err := r.store.DB(ctx).Table("(?) AS c", sub).Count(&n).Error
	return n, err
}
