// Command atrium-gen writes frontend/src/api/types.gen.ts from the operation
// registry, so the console's calls are typed from the Go types.
//
//	go run ./cmd/atrium-gen            write the file
//	go run ./cmd/atrium-gen -check     fail if the file is out of date
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"

	"atrium/backend/service"
	"atrium/backend/tsgen"
)

const target = "frontend/src/api/types.gen.ts"

func main() {
	check := flag.Bool("check", false, "fail when "+target+" is out of date")
	flag.Parse()
	out := tsgen.Generate(service.Describe())
	if *check {
		cur, err := os.ReadFile(target)
		if err != nil || !bytes.Equal(cur, out) {
			fmt.Fprintln(os.Stderr, target+" is out of date: run `go run ./cmd/atrium-gen`")
			os.Exit(1)
		}
		return
	}
	if err := os.WriteFile(target, out, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
