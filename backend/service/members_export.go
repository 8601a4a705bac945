package service

import "atrium/backend/domain"

// Authorize exposes the registry's access check to benchmarks (bench/members):
// it is the same function every call goes through.
func Authorize(op *Operation, a domain.Actor) error { return authorize(op, a) }
