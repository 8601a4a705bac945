package domain

// The tests validate time zones whatever the machine has installed (the
// binaries choose for themselves: see cmd/atrium-server/tzdata.go).
import _ "time/tzdata"
