package service

// Cases for the walk of TestEveryOperationChecksRights: account security,
// sessions, notifications and history.
func init() {
	for _, name := range []string{"auth.verifyTwoFactor", "account.changePassword", "twoFactor.status", "twoFactor.begin",
		"twoFactor.confirm", "twoFactor.disable", "sessions.list", "sessions.revoke", "sessions.revokeOthers",
		"notifications.preferences", "notifications.set", "history.mine"} {
		opCases[name] = opCase{}
	}
	empty := func(*fixture) string { return `{}` }
	opCases["security.orgPolicy"] = opCase{input: empty}
	opCases["security.setOrgPolicy"] = opCase{input: func(*fixture) string { return `{"requireTwoFactor":false}` }}
	opCases["history.list"] = opCase{input: func(f *fixture) string {
		return `{"person":"` + f.adminAID + `","action":"","from":"","to":"","search":"","before":0,"limit":20}`
	}}
	opCases["history.export"] = opCase{input: empty}
	opCases["history.verify"] = opCase{input: empty}
	opCases["history.exportHead"] = opCase{input: empty}
	opCases["history.checkExport"] = opCase{input: func(*fixture) string { return `{"content":"pas un export"}` }}
}
