package service

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"runtime/debug"
	"sort"
	"strings"

	"atrium/backend/domain"
)

// Access says who may call an operation at all; Right narrows Member further.
type Access int

const (
	Public   Access = iota // anyone, signed in or not (first run, sign-in)
	SignedIn               // any signed-in account, about itself
	Member                 // an active member of the session's organization holding Right (if any)
)

func (a Access) String() string {
	return [...]string{"public", "signed-in", "member"}[a]
}

// SessionEffect tells a door that an operation starts or ends the caller's
// session, so it can set or clear its cookie (or forget its token).
type SessionEffect int

const (
	NoSessionChange SessionEffect = iota
	StartsSession
	EndsSession
)

// Operation is one entry of the registry: every door exposes exactly these.
type Operation struct {
	Name   string
	Access Access
	Right  domain.Right // required right when Access is Member; "" means any active member
	Writes bool         // changes data (refused on read-only organizations, queued offline)
	// AllowClosed lets a writing operation run on a closed organization
	// (reopening it, deleting or anonymizing it).
	AllowClosed bool
	Session     SessionEffect
	// Desktop: the operation exists only in the desktop's registry (see
	// the backups in operations.go); Describe lists it all the same.
	Desktop bool
	Input   reflect.Type
	Output  reflect.Type
	call    func(ctx context.Context, a domain.Actor, raw []byte) (any, error)
}

// Registry holds every operation, with the services that implement them.
type Registry struct {
	svc *Services
	ops map[string]*Operation
	log *slog.Logger
}

// Call is one invocation as a door received it.
type Call struct {
	Op    string
	Input []byte
	Token string // the caller's session token, if any
	// Org is the organization the call acts on, as the screen that made it
	// names it; "" acts on the one the session remembers.
	Org    string
	Device domain.Device
	// mark, when set, marks the context the operation runs in, once the
	// caller is known: a pushed operation replayed (push.go), an operation
	// queued on a connected desktop (queue.go).
	mark func(ctx context.Context, a domain.Actor) context.Context
}

// Result is what a door sends back. Token is set when the call started a
// session, or gave the caller's session a new token: the door keeps it in
// place of the one it sent.
type Result struct {
	Output      any
	Token       string
	EndsSession bool
	// Reopen: the call staged a restore; the door closes the system and
	// starts it again on the same database, which puts the backup in place.
	Reopen bool
}

// reopener is implemented by outputs that ask the door to reopen the database.
type reopener interface{ reopensDatabase() bool }

// sessionIssuer is implemented by outputs that carry a freshly issued token.
type sessionIssuer interface{ issuedToken() string }

func add[In, Out any](r *Registry, op Operation, fn func(context.Context, domain.Actor, In) (Out, error)) {
	if _, dup := r.ops[op.Name]; dup {
		panic("service: operation declared twice: " + op.Name)
	}
	op.Input, op.Output = reflect.TypeFor[In](), reflect.TypeFor[Out]()
	checkTextTags(op.Input, op.Name+" input", map[reflect.Type]bool{})
	op.call = func(ctx context.Context, a domain.Actor, raw []byte) (any, error) {
		var in In
		if err := decodeInput(raw, &in); err != nil {
			return nil, err
		}
		return fn(ctx, a, in)
	}
	r.ops[op.Name] = &op
}

// decodeInput reads a JSON object strictly: unknown fields or trailing data are
// refused, so a typo in a client never silently does nothing. Every string of
// the value decoded is then checked once, here, for every operation and door
// (domain.ValidText): a NUL (which PostgreSQL cannot store), another control
// character, a line break in a one-line field, a bidirectional control or an
// invisible-only text is refused with invalid_characters on its field, before
// the operation runs.
func decodeInput(raw []byte, into any) error {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		return &domain.Error{Code: domain.CodeValidation, Message: "malformed input: " + err.Error()}
	}
	if dec.More() {
		return &domain.Error{Code: domain.CodeValidation, Message: "malformed input: trailing data"}
	}
	errs := domain.FieldErrors{}
	checkText(reflect.ValueOf(into), "", domain.TextLine, errs)
	return errs.Err()
}

// checkText walks a decoded value: every string, in nested structs, lists,
// maps (keys too) and pointers, must be valid text of its field's kind. The
// field error is named like the console's form fields: the JSON name, dotted
// below a nested object ("head.hash"); a list's or a map's strings answer
// for the list or map itself.
func checkText(v reflect.Value, field string, kind domain.TextKind, errs domain.FieldErrors) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			checkText(v.Elem(), field, kind, errs)
		}
	case reflect.String:
		if !domain.ValidText(v.String(), kind) {
			errs.Add(fieldName(field), domain.FieldInvalidCharacters)
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			checkText(v.Index(i), field, kind, errs)
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			checkText(it.Key(), field, domain.TextLine, errs)
			checkText(it.Value(), field, kind, errs)
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			name, inline, ok := jsonField(sf)
			if !ok {
				continue
			}
			if inline {
				checkText(v.Field(i), field, domain.TextLine, errs)
				continue
			}
			k, _ := domain.ParseTextKind(sf.Tag.Get("text"))
			if field != "" {
				name = field + "." + name
			}
			checkText(v.Field(i), name, k, errs)
		}
	}
}

// fieldName names the field error of a string that is the whole input.
func fieldName(field string) string {
	if field == "" {
		return "input"
	}
	return field
}

// jsonField tells how encoding/json fills a struct field: its name, or
// inline for an embedded struct whose fields are the parent's; ok is false
// for a field JSON never sets.
func jsonField(sf reflect.StructField) (name string, inline, ok bool) {
	tag := sf.Tag.Get("json")
	if tag == "-" {
		return "", false, false
	}
	name, _, _ = strings.Cut(tag, ",")
	if sf.Anonymous && name == "" {
		t := sf.Type
		if t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() == reflect.Struct {
			return "", true, true
		}
	}
	if !sf.IsExported() {
		return "", false, false
	}
	if name == "" {
		name = sf.Name
	}
	return name, false, true
}

// checkTextTags refuses, when the registry is built, a `text` tag that the
// decoder does not know: a typo would silently leave the field one-line.
func checkTextTags(t reflect.Type, where string, seen map[reflect.Type]bool) {
	if seen[t] {
		return
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
		checkTextTags(t.Elem(), where, seen)
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			if _, ok := domain.ParseTextKind(sf.Tag.Get("text")); !ok {
				panic(fmt.Sprintf("service: %s: field %s has an unknown text tag %q", where, sf.Name, sf.Tag.Get("text")))
			}
			checkTextTags(sf.Type, where, seen)
		}
	}
}

// Operations lists every operation, sorted by name.
func (r *Registry) Operations() []*Operation {
	out := make([]*Operation, 0, len(r.ops))
	for _, op := range r.ops {
		out = append(out, op)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Lookup finds an operation by name.
func (r *Registry) Lookup(name string) (*Operation, bool) {
	op, ok := r.ops[name]
	return op, ok
}

// Invoke runs one call: it resolves the caller, checks access and rights,
// decodes the input and runs the operation. A panic becomes a logged internal
// error; every error returned is a *domain.Error.
func (r *Registry) Invoke(ctx context.Context, c Call) (res Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			r.log.Error("operation panicked", "op", c.Op, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			res, err = Result{}, domain.Errorf(domain.CodeInternal, "internal error")
		}
		if err != nil {
			if domain.CodeOf(err) == domain.CodeInternal {
				var ours *domain.Error
				if !errors.As(err, &ours) {
					r.log.Error("operation failed", "op", c.Op, "err", err)
				}
			}
			err = domain.Public(err)
		}
	}()
	op, ok := r.ops[c.Op]
	if !ok {
		return Result{}, domain.Errorf(domain.CodeNotFound, "unknown operation %q", c.Op)
	}
	if c.Org != "" && (len(c.Org) > maxOrgRef || !domain.ValidText(c.Org, domain.TextLine)) {
		return Result{}, domain.Errorf(domain.CodeValidation, "malformed organization reference")
	}
	ctx = domain.WithDevice(ctx, c.Device)
	ctx, rotated := withRotation(ctx)
	var actor domain.Actor // a public operation acts for nobody
	if op.Access != Public {
		var err error
		actor, err = r.svc.Auth.resolve(ctx, c.Token, c.Org)
		if err != nil {
			return Result{}, err
		}
		if err := authorize(op, actor); err != nil {
			return Result{}, err
		}
	}
	if c.mark != nil {
		// Marked only now, so that only the operation's own writes (not the
		// session's upkeep above) record it.
		ctx = c.mark(ctx, actor)
	}
	out, err := op.call(ctx, actor, c.Input)
	if err != nil {
		return Result{}, err
	}
	res = Result{Output: out, EndsSession: op.Session == EndsSession}
	if ro, ok := out.(reopener); ok {
		res.Reopen = ro.reopensDatabase()
		res.EndsSession = res.Reopen // the accounts and sessions are now the backup's
	}
	if s, ok := out.(sessionIssuer); ok && op.Session == StartsSession {
		res.Token = s.issuedToken()
		// The session the door sent (someone signed in here before) ends.
		if res.Token != "" && c.Token != "" {
			if err := r.svc.Auth.endReplacedSession(ctx, c.Token); err != nil {
				return Result{}, err
			}
		}
	}
	if rotated.token != "" {
		res.Token = rotated.token
	}
	return res, nil
}

// maxOrgRef bounds the organization a call names: ids are far shorter.
const maxOrgRef = 64

// authorize is the one place where an operation's access rule meets the actor.
func authorize(op *Operation, a domain.Actor) error {
	if op.Access != Member {
		return nil
	}
	if a.OrgID == "" || a.Rights == nil {
		return domain.Errorf(domain.CodeForbidden, "not an active member of this organization")
	}
	// An organization that requires two-step sign-in lets a member without it
	// do nothing there until it is turned on (their own account stays open).
	if a.MustEnrollTwoFactor {
		return domain.Errorf(domain.CodeTwoFactorRequired, "the organization requires two-step sign-in")
	}
	if op.Right != "" && !a.Has(op.Right) {
		return domain.Errorf(domain.CodeForbidden, "the right %s is required", op.Right)
	}
	// A closed organization is read-only, whatever the operation and the door.
	if op.Writes && a.OrgClosed && !op.AllowClosed {
		return domain.Errorf(domain.CodeOrgClosed, "the organization is closed")
	}
	return nil
}
