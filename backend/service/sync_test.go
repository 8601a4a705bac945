package service

func init() {
	opCases["sync.state"] = opCase{input: func(*fixture) string { return `{"since":0}` }}
	opCases["sync.snapshot"] = opCase{input: func(*fixture) string { return `{}` }}
}
