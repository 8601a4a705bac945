package service

func init() {
	opCases["sync.state"] = opCase{input: func(*fixture) string { return `{"orgs":[]}` }}
	opCases["sync.snapshot"] = opCase{input: func(*fixture) string { return `{}` }}
}
