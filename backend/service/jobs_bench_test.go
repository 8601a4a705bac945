package service

import (
	"context"
	"testing"
)

// The member export of 100,000 members on SQLite, with its progress counted
// (the members counted first, each row counted as written: what
// members.export does) and without (the same export, no job). Figures in
// docs/PERFORMANCE.md.
// `go test -bench MembersExportProgress -run ^$ -benchtime 5x ./backend/service/`
func BenchmarkMembersExportProgress(b *testing.B) {
	reg, token := orgOf100000(b)
	ctx := context.Background()
	a, err := reg.svc.Auth.resolve(ctx, token, "")
	if err != nil {
		b.Fatal(err)
	}
	m := reg.svc.Members
	check := func(f ExportFile, err error) {
		if err != nil {
			b.Fatal(err)
		}
		if f.Rows != maxMemberExport {
			b.Fatalf("%d rows", f.Rows)
		}
	}
	// Alternated, so that a busy moment of the shared machine falls on both.
	b.Run("without-counting", func(b *testing.B) {
		defer reportCPU(b)()
		for b.Loop() {
			check(m.export(ctx, a, ExportMembersInput{}, nil))
		}
	})
	b.Run("with-counting", func(b *testing.B) {
		defer reportCPU(b)()
		for b.Loop() {
			check(m.Export(ctx, a, ExportMembersInput{}))
		}
	})
	b.Run("without-counting-again", func(b *testing.B) {
		defer reportCPU(b)()
		for b.Loop() {
			check(m.export(ctx, a, ExportMembersInput{}, nil))
		}
	})
	b.Run("with-counting-again", func(b *testing.B) {
		defer reportCPU(b)()
		for b.Loop() {
			check(m.Export(ctx, a, ExportMembersInput{}))
		}
	})
}
