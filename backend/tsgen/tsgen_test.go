package tsgen

import (
	"os"
	"strings"
	"testing"

	"atrium/backend/service"
)

// The console's types must match the Go types: regenerate with
// `go run ./cmd/atrium-gen` after changing an operation.
func TestGeneratedFileIsCurrent(t *testing.T) {
	want := Generate(service.Describe())
	got, err := os.ReadFile("../../frontend/src/api/types.gen.ts")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Fatal("frontend/src/api/types.gen.ts is out of date: run `go run ./cmd/atrium-gen`")
	}
	for _, op := range service.Describe().Operations() {
		if !strings.Contains(string(want), "'"+op.Name+"'") {
			t.Errorf("operation %s missing from the TypeScript contract", op.Name)
		}
	}
	if !strings.Contains(string(want), "title?: string;") {
		t.Error("optional (pointer) fields must be optional in TypeScript")
	}
}
