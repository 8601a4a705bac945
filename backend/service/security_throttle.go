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
	// One account from anywhere. It holds back only the sources that have
	// already failed on the account (see passwordKeys): an attacker spread
	// over many sources slows down its own sources, never the owner signing
	// in from hers.
	ruleAccount = throttleRule{"pw-acct:", 10, time.Second, time.Minute}
	// One source, whatever the accounts tried. A success refunds only its own
	// attempt, so signing in to an account one owns between guesses on other
	// accounts buys no extra guess.
	ruleSource = throttleRule{"pw-src:", 20, time.Second, 15 * time.Minute}
	// Second-factor and recovery codes of one account from one source.
	ruleSecondFactorSource = throttleRule{"2fa-src:", 5, 2 * time.Second, 5 * time.Minute}
	// Second-factor and recovery codes of one account: at sign-in it holds
	// back only the sources that have already failed a code on the account.
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

// attemptKeys are the keys of one sign-in step (a password or a second
// factor) on an account from a source. The account key always counts the
// attempt, but its delay holds the attempt back only when the pair already
// counts failures: it slows the sources that have failed on the account, and
// lets a source that has not (the owner's, usually) through.
type attemptKeys struct {
	pair    throttleKey // the account from this source
	account throttleKey // the account from any source, gated by pair
	source  throttleKey // this source on any account (none for codes)
}

func (a attemptKeys) all() []throttleKey {
	out := []throttleKey{a.pair, a.account}
	if a.source.rule.prefix != "" {
		out = append(out, a.source)
	}
	return out
}

// passwordKeys are the keys of a password attempt on email from src.
func passwordKeys(email, src string) attemptKeys {
	pair := throttleKey{rule: ruleAccountSource, id: email + "|" + src}
	return attemptKeys{
		pair:    pair,
		account: throttleKey{rule: ruleAccount, id: email},
		source:  throttleKey{rule: ruleSource, id: src},
	}
}

// secondFactorKeys are the keys of a code typed at sign-in for accountID
// from src. The account-wide key is the one the signed-in checks of a code
// count on too.
func secondFactorKeys(accountID, src string) attemptKeys {
	pair := throttleKey{rule: ruleSecondFactorSource, id: accountID + "|" + src}
	return attemptKeys{pair: pair, account: throttleKey{rule: ruleSecondFactor, id: accountID}}
}

// succeeded settles the keys of an attempt that was right: the account and
// source pair starts again from zero, while the account-wide and source-wide
// keys only take back this attempt's count. What other attempts failed stays
// counted: the owner signing in does not free an attacker's sources, and an
// attacker signing in to its own account does not free its source.
func (s *Auth) succeeded(ctx context.Context, a attemptKeys) error {
	if err := s.clearThrottle(ctx, a.pair); err != nil {
		return err
	}
	refund := []throttleKey{a.account}
	if a.source.rule.prefix != "" {
		refund = append(refund, a.source)
	}
	return s.refundThrottle(ctx, refund...)
}

// throttleAttempt counts a sign-in step on its keys (see throttle), the
// account key holding back only a source that has failed on the account.
func (s *Auth) throttleAttempt(ctx context.Context, a attemptKeys) error {
	return s.count(ctx, a.all(), map[string]string{a.account.key(): a.pair.key()})
}

// unchecked takes back the count of an attempt whose answer was never
// checked (the server was too busy hashing passwords to check it).
func (s *Auth) unchecked(ctx context.Context, a attemptKeys) error {
	return s.refundThrottle(ctx, a.all()...)
}

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
	return s.count(ctx, keys, nil)
}

// count is throttle where a key named in gates holds the attempt back only
// when the key it maps to already counts failures (it still counts the attempt).
func (s *Auth) count(ctx context.Context, keys []throttleKey, gates map[string]string) error {
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
		failures := map[string]int{}
		for i := range rows {
			if now.Sub(rows[i].LastAt) > throttleWindow {
				rows[i].Failures, rows[i].NextAt = 0, now
			}
			failures[rows[i].Key] = rows[i].Failures
		}
		for i := range rows {
			if g, ok := gates[rows[i].Key]; ok && failures[g] == 0 {
				continue // this source has not failed here: the key does not hold it back
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

// refundThrottle takes back one counted attempt from each key, for an
// attempt that turned out not to be a failure. A key left with no failure is
// forgotten; otherwise its wait never grows, and shrinks to what the
// remaining failures call for when that is shorter.
func (s *Auth) refundThrottle(ctx context.Context, keys ...throttleKey) error {
	now := s.now()
	names := make([]string, len(keys))
	rules := map[string]throttleRule{}
	for i, k := range keys {
		names[i] = k.key()
		rules[names[i]] = k.rule
	}
	return s.Store.Tx(ctx, func(ctx context.Context) error {
		rows, err := s.Store.LockThrottle(ctx, names, now)
		if err != nil {
			return err
		}
		var gone []string
		keep := rows[:0]
		for _, r := range rows {
			if r.Failures <= 1 {
				gone = append(gone, r.Key)
				continue
			}
			r.Failures--
			if next := now.Add(rules[r.Key].delay(r.Failures)); next.Before(r.NextAt) {
				r.NextAt = next
			}
			keep = append(keep, r)
		}
		if err := s.Store.ClearThrottle(ctx, gone...); err != nil {
			return err
		}
		return s.Store.SaveThrottle(ctx, keep)
	})
}

var _ = store.ThrottleRow{}
