package service

// Cases for the walk of TestEveryOperationChecksRights: the first-run,
// sign-in and own-account operations need no organization right.
func init() {
	for _, name := range []string{"setup.status", "setup.createWorkspace", "auth.signIn", "auth.signOut",
		"session.current", "account.updateProfile", "account.setLanguage", "account.exportData"} {
		opCases[name] = opCase{}
	}
}

// The desktop's backups need no organization right: the operations check
// that the caller is the desktop's administrator (backups_test.go).
func init() {
	for _, name := range []string{"backups.list", "backups.create", "backups.export", "backups.restore", "backups.restoreFile"} {
		opCases[name] = opCase{}
	}
}
