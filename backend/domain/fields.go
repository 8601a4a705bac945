package domain

// Field error codes: what is wrong with one field of an operation's input.
// They are declared here and nowhere else; atrium-gen writes them into the
// console's types (FIELD_CODES), where a test checks each has a sentence in
// French and English under "fields.<code>". A new code is added here and to
// FieldCodes, then labelled in the console.
const (
	// Any form.
	FieldRequired          = "required"
	FieldTooLong           = "too_long"
	FieldInvalidCharacters = "invalid_characters" // see ValidText
	FieldInvalidChoice     = "invalid_choice"
	FieldInvalidEmail      = "invalid_email"
	FieldInvalidPhone      = "invalid_phone"
	FieldNotMobile         = "not_mobile" // a valid number, but a landline where a mobile is asked
	FieldInvalidTimezone   = "invalid_timezone"
	FieldInvalidURL        = "invalid_url"
	FieldInsecureServer    = "insecure_server" // plain http to another computer: a password would cross the network unprotected
	FieldInvalidDate       = "invalid_date"
	FieldDateRange         = "date_range" // the end comes before the start
	// Someone else changed the field since the caller read it (an edit sent
	// with its base, see EditConflict).
	FieldChangedMeanwhile = "changed_meanwhile"

	// Accounts, passwords and the second factor.
	FieldEmailTaken           = "email_taken"
	FieldPasswordTooShort     = "password_too_short"
	FieldPasswordTooCommon    = "password_too_common"
	FieldPasswordLikeEmail    = "password_like_email"
	FieldWrongPassword        = "wrong_password"
	FieldInvalidCode          = "invalid_code"
	FieldSignInExpired        = "signin_expired"
	FieldTwoFactorEnableFirst = "two_factor_enable_first" // turn it on for yourself before requiring it

	// Organizations, company profiles and tasks.
	FieldTimezoneImmutable = "timezone_immutable"
	FieldInvalidMember     = "invalid_member"
	FieldSuccessorNeeded   = "successor_needed" // a member leaving with work to hand over
	FieldSuccessorSelf     = "successor_self"   // the successor named is the member leaving
	FieldInvalidSIRET      = "invalid_siret"
	FieldSIRETCheck        = "siret_check" // 14 digits that fail the SIRET's check digit
	FieldInvalidVAT        = "invalid_vat"
	FieldVATSIRENMismatch  = "vat_siren_mismatch"
	FieldInvalidPostalCode = "invalid_postal_code"
	FieldInvalidCountry    = "invalid_country"
	// The account already belongs to an organization of that name (folded):
	// the form asks before creating a second one.
	FieldDuplicateName = "duplicate_name"
	// The account already belongs to an organization with that SIRET.
	FieldDuplicateSIRET = "duplicate_siret"

	// Members, roles, rights and applications.
	FieldUnknownRight        = "unknown_right"
	FieldUnknownApplication  = "unknown_application"
	FieldLastAdmin           = "last_admin"
	FieldAdminRoleLocked     = "admin_role_locked"
	FieldMemberDeleted       = "member_deleted"
	FieldNameTaken           = "name_taken"
	FieldApplicationDisabled = "application_disabled"
	FieldNotYourself         = "not_yourself"
	FieldInvalidStatus       = "invalid_status"
	// A refused grant or rename (see service/grants.go).
	FieldOwnRights           = "own_rights"
	FieldOwnRole             = "own_role"
	FieldRightNotHeld        = "right_not_held"
	FieldRightsEditAdminOnly = "rights_edit_admin_only"
	FieldRoleBeyondRights    = "role_beyond_rights"
	FieldNameOwnedByPerson   = "name_owned_by_person"
	// Away (SPEC C7): the return date is today or past; the delegate is the
	// member going away, is away too, or cannot be given tasks.
	FieldReturnDatePast  = "return_date_past"
	FieldDelegateSelf    = "delegate_self"
	FieldDelegateAway    = "delegate_away"
	FieldDelegateNoTasks = "delegate_no_tasks"
	// The member import (service/members_import.go).
	FieldFileTooLarge    = "file_too_large"
	FieldFileTooManyRows = "file_too_many_rows"
	FieldFileUnreadable  = "file_unreadable"
	FieldImportChanged   = "import_changed" // the plan differs from the dry run's

	// Mail, invitations and recovery.
	FieldAlreadyMember   = "already_member"
	FieldAlreadyInvited  = "already_invited"
	FieldLinkInvalid     = "link_invalid"
	FieldLinkExpired     = "link_expired"
	FieldLinkUsed        = "link_used"
	FieldLinkRevoked     = "link_revoked" // the invitation was withdrawn by its organization
	FieldOtherAccount    = "invitation_other_account"
	FieldAccountExists   = "account_exists"
	FieldSameEmail       = "same_email"
	FieldManagedByServer = "managed_by_server"
	FieldInvalidPort     = "invalid_port"
	FieldPasswordInClear = "password_in_clear"
	// A desktop's organization sent to a server that has it already.
	FieldAlreadyOnServer = "already_on_server"

	// History: an exported head this server did not make for this
	// organization, or one that was edited.
	FieldInvalidHead = "invalid_head"

	// Tasks: given to a member who cannot see tasks; repeating with no due date.
	FieldCannotSeeTasks     = "cannot_see_tasks"
	FieldRepeatNeedsDueDate = "repeat_needs_due_date"
)

// FieldCodes lists every field error code (a test checks it against the
// declarations above).
var FieldCodes = []string{
	FieldRequired, FieldTooLong, FieldInvalidCharacters, FieldInvalidChoice, FieldInvalidEmail, FieldInvalidPhone, FieldNotMobile,
	FieldInvalidTimezone, FieldInvalidURL, FieldInsecureServer, FieldInvalidDate, FieldDateRange, FieldChangedMeanwhile,
	FieldEmailTaken, FieldPasswordTooShort, FieldPasswordTooCommon, FieldPasswordLikeEmail, FieldWrongPassword,
	FieldInvalidCode, FieldSignInExpired, FieldTwoFactorEnableFirst,
	FieldTimezoneImmutable, FieldInvalidMember, FieldSuccessorNeeded, FieldSuccessorSelf, FieldInvalidSIRET, FieldSIRETCheck, FieldInvalidVAT, FieldVATSIRENMismatch,
	FieldInvalidPostalCode, FieldInvalidCountry, FieldDuplicateName, FieldDuplicateSIRET,
	FieldUnknownRight, FieldUnknownApplication, FieldLastAdmin, FieldAdminRoleLocked, FieldMemberDeleted,
	FieldNameTaken, FieldApplicationDisabled, FieldNotYourself, FieldInvalidStatus,
	FieldOwnRights, FieldOwnRole, FieldRightNotHeld, FieldRightsEditAdminOnly, FieldRoleBeyondRights,
	FieldNameOwnedByPerson, FieldReturnDatePast, FieldDelegateSelf, FieldDelegateAway, FieldDelegateNoTasks,
	FieldFileTooLarge, FieldFileTooManyRows, FieldFileUnreadable, FieldImportChanged,
	FieldAlreadyMember, FieldAlreadyInvited, FieldLinkInvalid, FieldLinkExpired, FieldLinkUsed, FieldLinkRevoked, FieldOtherAccount,
	FieldAccountExists, FieldSameEmail, FieldManagedByServer, FieldInvalidPort, FieldPasswordInClear, FieldAlreadyOnServer,
	FieldInvalidHead,
	FieldCannotSeeTasks, FieldRepeatNeedsDueDate,
}
