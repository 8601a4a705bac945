package service

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"atrium/backend/audit"
	"atrium/backend/auth"
	"atrium/backend/domain"
	"atrium/backend/mail"
	"atrium/backend/store"
)

// Invitations invite people into an organization (SPEC C2-C4).
type Invitations struct {
	Deps
	auth *Auth
	mail *Mail
}

// invitationTTL is how long an invitation's link and code are valid.
const invitationTTL = 7 * 24 * time.Hour

// The codes typed on the public pages (invitation, reset): per source, then
// per target address.
var (
	ruleMailCodeSource = throttleRule{"mailcode-src:", 10, 2 * time.Second, 15 * time.Minute}
	ruleMailCodeTarget = throttleRule{"mailcode-to:", 5, 2 * time.Second, 15 * time.Minute}
	// Mail sent on request of an anonymous visitor (forgotten password).
	ruleMailRequest = throttleRule{"mailreq:", 3, time.Minute, 30 * time.Minute}
)

// InvitationItem is one pending invitation.
type InvitationItem struct {
	ID          string    `json:"id"`
	Email       string    `json:"email"`
	FirstName   string    `json:"firstName"`
	LastName    string    `json:"lastName"`
	JobTitle    string    `json:"jobTitle"`
	EmployeeRef string    `json:"employeeRef"`
	InvitedBy   string    `json:"invitedBy"`
	SentAt      time.Time `json:"sentAt"`
	ExpiresAt   time.Time `json:"expiresAt"`
	Expired     bool      `json:"expired"`
	// Unsent: prepared and never sent (a dossier sent from a desktop);
	// sending it again is what sends it.
	Unsent bool `json:"unsent"`
	// MailWaits is set on the answer to an invitation sent or sent again while
	// no mail server is set: the message waits in the outbox, to be passed on
	// by hand, so the console must not say it was sent.
	MailWaits bool `json:"mailWaits,omitempty"`
}

// InvitationList lists the pending invitations, newest first.
type InvitationList struct {
	Items []InvitationItem `json:"items"`
}

// List returns the organization's pending invitations (SPEC C3).
func (s *Invitations) List(ctx context.Context, a domain.Actor, _ Empty) (InvitationList, error) {
	rows, err := s.Store.PendingInvitations(ctx, a.OrgID)
	if err != nil {
		return InvitationList{}, err
	}
	now := s.auth.now()
	out := InvitationList{Items: []InvitationItem{}}
	for _, r := range rows {
		out.Items = append(out.Items, invitationItem(r.Invitation, strings.TrimSpace(r.InviterFirst+" "+r.InviterLast), now))
	}
	return out, nil
}

func invitationItem(inv store.Invitation, by string, now time.Time) InvitationItem {
	return InvitationItem{ID: inv.ID, Email: inv.Email, FirstName: inv.FirstName, LastName: inv.LastName, JobTitle: inv.JobTitle,
		EmployeeRef: inv.EmployeeRef, InvitedBy: by, SentAt: inv.SentAt, ExpiresAt: inv.ExpiresAt,
		Unsent: inv.Unsent(), Expired: !inv.Unsent() && !now.Before(inv.ExpiresAt)}
}

// CreateInvitationInput invites one person.
type CreateInvitationInput struct {
	Email       string   `json:"email"`
	FirstName   string   `json:"firstName"`
	LastName    string   `json:"lastName"`
	JobTitle    string   `json:"jobTitle"`
	EmployeeRef string   `json:"employeeRef"`
	RoleIDs     []string `json:"roleIds"`
	Rights      []string `json:"rights"`
	Language    string   `json:"language"`
}

// Create invites a person: an invitation valid 7 days, sent by mail with a
// single-use link and code. Giving roles or rights also needs rights.edit,
// and only an admin gives the Admin role.
func (s *Invitations) Create(ctx context.Context, a domain.Actor, in CreateInvitationInput) (InvitationItem, error) {
	errs := domain.FieldErrors{}
	email := domain.CheckEmail(errs, "email", in.Email)
	inv := store.Invitation{ID: domain.NewIDIn(ctx), OrgID: a.OrgID, Email: email, FirstName: domain.CleanText(in.FirstName),
		LastName: domain.CleanText(in.LastName), JobTitle: domain.CleanText(in.JobTitle), EmployeeRef: domain.CleanText(in.EmployeeRef),
		Language: in.Language, Status: store.InvitationPending, InvitedBy: &a.AccountID}
	domain.CheckText(errs, "firstName", inv.FirstName, false)
	domain.CheckText(errs, "lastName", inv.LastName, false)
	domain.CheckText(errs, "jobTitle", inv.JobTitle, false)
	domain.CheckText(errs, "employeeRef", inv.EmployeeRef, false)
	switch inv.Language {
	case "":
		inv.Language = "fr"
	case "fr", "en":
	default:
		errs.Add("language", domain.FieldInvalidChoice)
	}
	for _, r := range in.Rights {
		if !domain.KnownRight(domain.Right(r)) {
			errs.Add("rights", domain.FieldUnknownRight)
		}
	}
	if err := errs.Err(); err != nil {
		return InvitationItem{}, err
	}
	if (len(in.RoleIDs) > 0 || len(in.Rights) > 0) && !a.Has(domain.RightRightsEdit) {
		return InvitationItem{}, domain.Errorf(domain.CodeForbidden, "the right %s is required to give roles or rights", domain.RightRightsEdit)
	}
	roles := dedupe(in.RoleIDs)
	rights := dedupe(in.Rights)
	for _, id := range roles {
		r, err := s.Store.RoleByID(ctx, a.OrgID, id)
		if err != nil {
			return InvitationItem{}, err
		}
		if r.IsAdmin && !a.IsAdmin {
			return InvitationItem{}, domain.Errorf(domain.CodeForbidden, "only an admin gives the Admin role")
		}
	}
	if err := checkGrants(ctx, s.Store, a, roles, rights); err != nil {
		return InvitationItem{}, err
	}
	now := s.auth.now()
	err := s.write(ctx, a, func(w *Write) error { return s.invite(w, a, &inv, roles, rights, now, nil) })
	if err != nil {
		return InvitationItem{}, err
	}
	return s.sentItem(ctx, inv, now)
}

// invite writes one invitation whose fields, roles and rights the caller has
// checked, inside the caller's write: refused for a member's address or one
// already invited (an expired invitation gives way), then the invitation,
// its link and code, its message in the outbox, its change-log and history
// entries. invitations.create and the member import (members.import) both
// invite through it; facts are the address's (store.InvitationFactsOf), read
// here when nil, read for the whole file by the import.
func (s *Invitations) invite(w *Write, a domain.Actor, inv *store.Invitation, roles, rights []string, now time.Time, facts *store.InvitationFacts) error {
	ctx := w.Ctx()
	rb, _ := json.Marshal(nonNil(roles))
	gb, _ := json.Marshal(nonNil(rights))
	inv.RoleIDs, inv.Rights = string(rb), string(gb)
	inv.CreatedAt, inv.SentAt, inv.ExpiresAt = now, now, now.Add(invitationTTL)
	email := inv.Email
	if facts == nil {
		all, err := s.Store.InvitationFactsOf(ctx, a.OrgID, []string{email})
		if err != nil {
			return err
		}
		f := all[email]
		facts = &f
	}
	if facts.Member {
		return domain.FieldErrors{"email": domain.FieldAlreadyMember}.Err()
	}
	if old := facts.Pending; old != nil {
		if now.Before(old.ExpiresAt) {
			return domain.FieldErrors{"email": domain.FieldAlreadyInvited}.Err()
		}
		// An expired invitation gives way to the new one.
		if _, err := s.Store.UpdateInvitation(ctx, old.ID, map[string]any{"status": store.InvitationRevoked, "ended_at": now}); err != nil {
			return err
		}
		if err := w.Changed(a.OrgID, "invitation", old.ID, "deleted", nil); err != nil {
			return err
		}
	}
	if facts.Language != "" {
		inv.Language = facts.Language
	}
	if err := w.insert(inv); err != nil {
		return err
	}
	if err := s.send(w, a, *inv, now); err != nil {
		return err
	}
	if err := s.changed(w, *inv, "created", now); err != nil {
		return err
	}
	return w.Record(audit.Entry{OrgID: a.OrgID, Action: audit.InvitationSent, SubjectType: "invitation", SubjectID: inv.ID,
		Details: map[string]any{"email": email, "roles": nonNil(roles), "rights": nonNil(rights)}})
}

// sentItem is the answer to an invitation just sent: whether its message
// leaves by mail or waits in the outbox.
func (s *Invitations) sentItem(ctx context.Context, inv store.Invitation, now time.Time) (InvitationItem, error) {
	it := invitationItem(inv, "", now)
	configured, err := s.mail.Configured(ctx)
	it.MailWaits = !configured
	return it, err
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, x := range in {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// changed declares an invitation's new state in the change log, as the list
// of invitations shows it (its link and code never travel).
func (s *Invitations) changed(w *Write, inv store.Invitation, action string, now time.Time) error {
	by := ""
	if inv.InvitedBy != nil {
		acc, err := remember(w, "account:"+*inv.InvitedBy, func() (domain.Account, error) { return s.Store.AccountByID(w.Ctx(), *inv.InvitedBy) })
		if err != nil && domain.CodeOf(err) != domain.CodeNotFound {
			return err
		}
		by = strings.TrimSpace(acc.FirstName + " " + acc.LastName)
	}
	return w.Changed(inv.OrgID, "invitation", inv.ID, action, invitationItem(inv, by, now))
}

// send creates a new token for an invitation and writes its message.
func (s *Invitations) send(w *Write, a domain.Actor, inv store.Invitation, now time.Time) error {
	ctx := w.Ctx()
	org, err := remember(w, "org:"+a.OrgID, func() (domain.Organization, error) { return s.Store.OrganizationByID(ctx, a.OrgID) })
	if err != nil {
		return err
	}
	inviter, err := remember(w, "account:"+a.AccountID, func() (domain.Account, error) { return s.Store.AccountByID(ctx, a.AccountID) })
	if err != nil {
		return err
	}
	token, hash := auth.NewToken()
	code, codeHash := newShortCode()
	t := store.MailToken{ID: domain.NewID(), Kind: store.TokenInvitation, TokenHash: hash, CodeHash: codeHash, OrgID: &a.OrgID,
		InvitationID: &inv.ID, CreatedAt: now, ExpiresAt: inv.ExpiresAt}
	if err := w.insert(&t); err != nil {
		return err
	}
	d := mail.Data{Name: inv.FirstName, Org: org.Name, Inviter: inviter.FullName(), Link: s.mail.link("/invitation", token), Code: code,
		Expires: mail.SevenDays[inv.Language]}
	return w.Mail(outgoing{OrgID: a.OrgID, To: inv.Email, Language: inv.Language, Kind: mail.KindInvitation, Data: d})
}

// InvitationRef names an invitation.
type InvitationRef struct {
	InvitationID string `json:"invitationId"`
}

// Resend sends a new link and code, valid 7 days again; the old ones die.
func (s *Invitations) Resend(ctx context.Context, a domain.Actor, in InvitationRef) (InvitationItem, error) {
	now := s.auth.now()
	var inv store.Invitation
	err := s.write(ctx, a, func(w *Write) error {
		ctx := w.Ctx()
		var err error
		if inv, err = s.pending(ctx, a.OrgID, in.InvitationID); err != nil {
			return err
		}
		if err := s.Store.KillInvitationTokens(ctx, inv.ID, now); err != nil {
			return err
		}
		inv.SentAt, inv.ExpiresAt = now, now.Add(invitationTTL)
		if _, err := s.Store.UpdateInvitation(ctx, inv.ID, map[string]any{"sent_at": inv.SentAt, "expires_at": inv.ExpiresAt}); err != nil {
			return err
		}
		if err := s.send(w, a, inv, now); err != nil {
			return err
		}
		if err := s.changed(w, inv, "updated", now); err != nil {
			return err
		}
		return w.Record(audit.Entry{OrgID: a.OrgID, Action: audit.InvitationResent, SubjectType: "invitation", SubjectID: inv.ID,
			Details: map[string]any{"email": inv.Email}})
	})
	if err != nil {
		return InvitationItem{}, err
	}
	return s.sentItem(ctx, inv, now)
}

func (s *Invitations) pending(ctx context.Context, orgID, id string) (store.Invitation, error) {
	inv, err := s.Store.InvitationByID(ctx, orgID, id)
	if err != nil {
		return inv, err
	}
	if inv.Status != store.InvitationPending {
		return inv, domain.FieldErrors{"invitationId": domain.FieldInvalidStatus}.Err()
	}
	return inv, nil
}

// Revoke withdraws a pending invitation: its link and code stop working.
func (s *Invitations) Revoke(ctx context.Context, a domain.Actor, in InvitationRef) (Empty, error) {
	now := s.auth.now()
	return Empty{}, s.write(ctx, a, func(w *Write) error {
		ctx := w.Ctx()
		inv, err := s.pending(ctx, a.OrgID, in.InvitationID)
		if err != nil {
			return err
		}
		if err := s.Store.KillInvitationTokens(ctx, inv.ID, now); err != nil {
			return err
		}
		if _, err := s.Store.UpdateInvitation(ctx, inv.ID, map[string]any{"status": store.InvitationRevoked, "ended_at": now}); err != nil {
			return err
		}
		if err := w.Changed(a.OrgID, "invitation", inv.ID, "deleted", nil); err != nil {
			return err
		}
		return w.Record(audit.Entry{OrgID: a.OrgID, Action: audit.InvitationRevoked, SubjectType: "invitation", SubjectID: inv.ID,
			Details: map[string]any{"email": inv.Email}})
	})
}

// InvitationTokenInput names an invitation by its link's token or its code.
type InvitationTokenInput struct {
	Token string `json:"token"`
	Code  string `json:"code"`
}

// InvitationView is what the acceptance page shows. It does not say whether
// the address has an account: the page is public, and anyone the link was
// forwarded to would learn it; the page offers both paths instead.
type InvitationView struct {
	Organization string `json:"organization"`
	Email        string `json:"email"`
	FirstName    string `json:"firstName"`
	LastName     string `json:"lastName"`
	JobTitle     string `json:"jobTitle"`
}

func (s *Invitations) load(ctx context.Context, in InvitationTokenInput) (store.MailToken, store.Invitation, error) {
	t, err := resolveToken(ctx, s.auth, store.TokenInvitation, in.Token, in.Code)
	if t.ID == "" {
		return t, store.Invitation{}, err
	}
	if t.InvitationID == nil || t.OrgID == nil {
		return t, store.Invitation{}, errors.New("invitation token without invitation")
	}
	inv, ierr := s.Store.InvitationByID(ctx, *t.OrgID, *t.InvitationID)
	switch {
	case ierr != nil:
		return t, inv, ierr
	case inv.Status == store.InvitationRevoked:
		// Revoking also ends its links: say it was withdrawn, not "already used".
		field := "token"
		if strings.TrimSpace(in.Token) == "" {
			field = "code"
		}
		return t, inv, domain.FieldErrors{field: domain.FieldLinkRevoked}.Err()
	case err != nil:
		return t, inv, err
	case inv.Status != store.InvitationPending:
		err = domain.FieldErrors{"token": domain.FieldLinkUsed}.Err()
	}
	if err == nil {
		// Said up front, before the page asks for a password; admit checks
		// again inside the write.
		err = writableOrg(ctx, s.Store, inv.OrgID)
	}
	return t, inv, err
}

// Lookup tells the acceptance page what an invitation is for.
func (s *Invitations) Lookup(ctx context.Context, _ domain.Actor, in InvitationTokenInput) (InvitationView, error) {
	_, inv, err := s.load(ctx, in)
	if err != nil {
		return InvitationView{}, err
	}
	org, err := s.Store.OrganizationByID(ctx, inv.OrgID)
	if err != nil {
		return InvitationView{}, err
	}
	return InvitationView{Organization: org.Name, Email: inv.Email, FirstName: inv.FirstName, LastName: inv.LastName,
		JobTitle: inv.JobTitle}, nil
}

// AcceptInvitationInput creates the invited person's account ("Créer un compte").
type AcceptInvitationInput struct {
	Token       string `json:"token"`
	Code        string `json:"code"`
	Title       string `json:"title"`
	FirstName   string `json:"firstName"`
	LastName    string `json:"lastName"`
	MobilePhone string `json:"mobilePhone"`
	Password    string `json:"password" text:"secret"`
}

// Accept creates the account of a new person from an invitation, makes them
// a member with the roles and rights of the invitation, and signs them in.
// An address that already has an account must sign in and join instead; so
// that the public page does not tell who has an account, that is said only
// once the form is complete and valid and its password hashed, as for a new
// account: to a holder of the link who typed a whole new account. The
// password typed is never compared with the existing account's, which would
// make this page a second sign-in door, outside its throttling and its
// second factor.
func (s *Invitations) Accept(ctx context.Context, _ domain.Actor, in AcceptInvitationInput) (SessionInfo, error) {
	t, inv, err := s.load(ctx, InvitationTokenInput{Token: in.Token, Code: in.Code})
	if err != nil {
		return SessionInfo{}, err
	}
	errs := domain.FieldErrors{}
	if !domain.ValidTitle(in.Title) {
		errs.Add("title", domain.FieldInvalidChoice)
	}
	first, last := domain.CleanText(in.FirstName), domain.CleanText(in.LastName)
	if first == "" {
		first = inv.FirstName
	}
	if last == "" {
		last = inv.LastName
	}
	domain.CheckText(errs, "firstName", first, true)
	domain.CheckText(errs, "lastName", last, true)
	phone := domain.CheckMobile(errs, "mobilePhone", in.MobilePhone)
	now := s.auth.now()
	var token string
	var accID string
	err = s.setPassword(ctx, domain.Actor{}, newPassword{Field: "password", Password: in.Password, Email: inv.Email, Errs: errs,
		Write: func(w *Write, hash string) error {
			ctx := w.Ctx()
			if _, err := s.Store.AccountByEmail(ctx, inv.Email); err == nil {
				return domain.FieldErrors{"token": domain.FieldAccountExists}.Err()
			} else if domain.CodeOf(err) != domain.CodeNotFound {
				return err
			}
			acc := domain.Account{ID: domain.NewID(), Email: inv.Email, PasswordHash: hash, Title: in.Title, FirstName: first, LastName: last,
				MobilePhone: phone, JobTitle: inv.JobTitle, Language: inv.Language, LastOrgID: &inv.OrgID, CreatedAt: now, UpdatedAt: now}
			if err := s.Store.Create(ctx, &acc); err != nil {
				return err
			}
			accID = acc.ID
			if err := w.Changed("", "account", acc.ID, "created", accountView(acc)); err != nil {
				return err
			}
			w.As(domain.Actor{AccountID: acc.ID, OrgID: inv.OrgID})
			if err := s.admit(w, t, inv, acc.ID, now); err != nil {
				return err
			}
			var err error
			token, err = s.auth.newSession(w, acc.ID, inv.OrgID)
			return err
		}})
	if err != nil {
		return SessionInfo{}, err
	}
	info, err := s.auth.sessionInfo(ctx, accID, inv.OrgID)
	info.token = token
	return info, err
}

// admit uses the token and makes the account a member of the invitation's
// organization with its roles and rights (roles deleted since are skipped).
func (s *Invitations) admit(w *Write, t store.MailToken, inv store.Invitation, accountID string, now time.Time) error {
	ctx := w.Ctx()
	// A closed organization takes no new member, even through a link sent
	// while it was open.
	if err := writableOrg(ctx, s.Store, inv.OrgID); err != nil {
		return err
	}
	if err := spendToken(ctx, s.Store, t.ID, now, "token", domain.FieldLinkUsed); err != nil {
		return err
	}
	if ok, err := s.Store.UpdateInvitation(ctx, inv.ID, map[string]any{"status": store.InvitationAccepted, "ended_at": now}); err != nil || !ok {
		if err == nil {
			err = domain.FieldErrors{"token": domain.FieldLinkUsed}.Err()
		}
		return err
	}
	if err := s.Store.KillInvitationTokens(ctx, inv.ID, now); err != nil {
		return err
	}
	m, err := s.Store.MemberByAccount(ctx, inv.OrgID, accountID)
	switch {
	case err == nil && m.Status != domain.MemberDeleted:
		return domain.FieldErrors{"token": domain.FieldAlreadyMember}.Err()
	case err == nil: // a former member comes back
		if err := s.Store.UpdateMember(ctx, inv.OrgID, m.ID, map[string]any{"status": domain.MemberActive,
			"job_title": inv.JobTitle, "employee_ref": inv.EmployeeRef}); err != nil {
			return err
		}
	case domain.CodeOf(err) == domain.CodeNotFound:
		m = store.MemberRecord{ID: domain.NewID(), OrgID: inv.OrgID, AccountID: accountID, Status: domain.MemberActive,
			EmployeeRef: inv.EmployeeRef, JobTitle: inv.JobTitle, CreatedAt: now, UpdatedAt: now}
		if err := s.Store.Create(ctx, &m); err != nil {
			return err
		}
	default:
		return err
	}
	var roleIDs, rights []string
	_ = json.Unmarshal([]byte(inv.RoleIDs), &roleIDs)
	_ = json.Unmarshal([]byte(inv.Rights), &rights)
	var keep []string
	for _, id := range roleIDs {
		if _, err := s.Store.RoleByID(ctx, inv.OrgID, id); err == nil {
			keep = append(keep, id)
		}
	}
	if err := s.Store.SetMemberRoles(ctx, inv.OrgID, m.ID, keep); err != nil {
		return err
	}
	for _, r := range rights {
		if domain.KnownRight(domain.Right(r)) {
			if _, err := s.Store.SetDirectRight(ctx, inv.OrgID, m.ID, domain.Right(r), true); err != nil {
				return err
			}
		}
	}
	// The new member's state as their organization's admins read it.
	admin := domain.Actor{OrgID: inv.OrgID}
	d, err := (&Members{Deps: s.Deps}).detail(ctx, admin, m.ID)
	if err != nil {
		return err
	}
	if err := w.Changed(inv.OrgID, "membership", m.ID, "created", d); err != nil {
		return err
	}
	if err := w.Changed(inv.OrgID, "invitation", inv.ID, "deleted", nil); err != nil {
		return err
	}
	w.As(domain.Actor{AccountID: accountID, OrgID: inv.OrgID})
	return w.Record(audit.Entry{OrgID: inv.OrgID, Action: audit.InvitationAccepted, SubjectType: "membership", SubjectID: m.ID,
		Details: map[string]any{"invitationId": inv.ID, "accountId": accountID}})
}

// Join lets a signed-in account accept an invitation sent to its address;
// the session then works in the organization joined.
func (s *Invitations) Join(ctx context.Context, a domain.Actor, in InvitationTokenInput) (SessionInfo, error) {
	t, inv, err := s.load(ctx, in)
	if err != nil {
		return SessionInfo{}, err
	}
	acc, err := s.Store.AccountByID(ctx, a.AccountID)
	if err != nil {
		return SessionInfo{}, err
	}
	if acc.Email != inv.Email {
		return SessionInfo{}, domain.FieldErrors{"token": domain.FieldOtherAccount}.Err()
	}
	now := s.auth.now()
	err = s.write(ctx, a, func(w *Write) error {
		ctx := w.Ctx()
		if err := s.admit(w, t, inv, acc.ID, now); err != nil {
			return err
		}
		if err := s.Store.SetSessionOrg(ctx, a.SessionID, inv.OrgID); err != nil {
			return err
		}
		return s.Store.UpdateAccount(ctx, acc.ID, map[string]any{"last_org_id": inv.OrgID})
	})
	if err != nil {
		return SessionInfo{}, err
	}
	return s.auth.sessionInfo(ctx, acc.ID, inv.OrgID)
}
