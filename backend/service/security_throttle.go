package service

import (
	"context"
	"math"
	"time"

	"atrium/backend/domain"
	"atrium/backend/store"
)

// throttleRule bounds the failed attempts of one kind of key (SPEC
// Robustness): the first free attempts go through at once, then each one
// waits twice as long as the one before, up to max. Failures are forgotten
// after a quiet window, and a success clears them, so a real user is never
// locked out for long.
type throttleRule struct {
	prefix string
	free   int
	base   time.Duration
	max    time.Duration
}

// throttleWindow is how long failures are remembered after the last one.
const throttleWindow = 15 * time.Minute

var (
	// The password of one account from one source: the tightest.
	ruleAccountSource = throttleRule{"pw-acct-src:", 5, 2 * time.Second, 15 * time.Minute}
	// One account from anywhere: an attacker spread over many sources can
	// make its real owner wait a minute at most.
	ruleAccount = throttleRule{"pw-acct:", 10, time.Second, time.Minute}
	// One source, whatever the accounts tried.
	ruleSource = throttleRule{"pw-src:", 20, time.Second, 15 * time.Minute}
	// Second-factor and recovery codes of one account.
	ruleSecondFactor = throttleRule{"2fa:", 5, 2 * time.Second, 5 * time.Minute}
	// The current password asked by sensitive account changes.
	rulePasswordCheck = throttleRule{"pw-check:", 5, 2 * time.Second, 5 * time.Minute}
)

func (r throttleRule) delay(failures int) time.Duration {
	if failures < r.free {
		return 0
	}
	exp := failures - r.free
	if exp > 30 {
		return r.max
	}
	d := time.Duration(float64(r.base) * math.Pow(2, float64(exp)))
	if d > r.max {
		d = r.max
	}
	return d
}

type throttleKey struct {
	rule throttleRule
	id   string
}

func (k throttleKey) key() string { return k.rule.prefix + k.id }

// sourceOf names where an attempt comes from: the address for a browser, the
// installation for a desktop (which has no meaningful address).
func sourceOf(d domain.Device) string {
	if d.IP != "" {
		return "ip:" + d.IP
	}
	return "device:" + d.Kind + ":" + d.Name + ":" + d.Platform
}

// throttle counts one attempt on every key before it is checked, in one
// transaction: the attempt is refused with rate_limited (and a retry-after)
// when any key must still wait. Because counting and checking are one atomic
// step, any number of parallel attempts cannot go beyond the limit. The caller
// clears the keys after a success.
func (s *Auth) throttle(ctx context.Context, keys ...throttleKey) error {
	now := s.now()
	names := make([]string, len(keys))
	rules := map[string]throttleRule{}
	for i, k := range keys {
		names[i] = k.key()
		rules[names[i]] = k.rule
	}
	var wait time.Duration
	err := s.Store.Tx(ctx, func(ctx context.Context) error {
		rows, err := s.Store.LockThrottle(ctx, names, now)
		if err != nil {
			return err
		}
		for i := range rows {
			if now.Sub(rows[i].LastAt) > throttleWindow {
				rows[i].Failures, rows[i].NextAt = 0, now
			}
			if w := rows[i].NextAt.Sub(now); w > wait {
				wait = w
			}
		}
		if wait > 0 {
			return nil
		}
		for i := range rows {
			rows[i].Failures++
			rows[i].LastAt = now
			rows[i].NextAt = now.Add(rules[rows[i].Key].delay(rows[i].Failures))
		}
		return s.Store.SaveThrottle(ctx, rows)
	})
	if err != nil {
		return err
	}
	if wait > 0 {
		secs := int(math.Ceil(wait.Seconds()))
		return &domain.Error{Code: domain.CodeRateLimited, Message: "too many attempts, try again later", RetryAfter: secs}
	}
	return nil
}

// clearThrottle forgets the failures of keys after a success.
func (s *Auth) clearThrottle(ctx context.Context, keys ...throttleKey) error {
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = k.key()
	}
	return s.Store.ClearThrottle(ctx, names...)
}

// now is the services' clock; tests move it instead of sleeping.
func (s *Auth) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

var _ = store.ThrottleRow{}
