package tsgen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"atrium/backend/audit"
	"atrium/backend/domain"
)

// vocabulary writes the lists declared once in Go that the console must
// label: rights (with their names), applications, history actions (with
// their words and kinds), the integrity check's problems, error codes and
// field error codes. The console's label test walks them.
func vocabulary(b *bytes.Buffer) {
	b.WriteString("\n// Vocabularies declared in Go (backend/domain, backend/audit).\n")
	b.WriteString("export interface Words {\n  fr: string;\n  en: string;\n}\n")

	rights := domain.AllRights()
	labelled(b, "RIGHTS", "RightName", "RIGHT_LABELS", len(rights), func(i int) (string, domain.Text) {
		return string(rights[i]), domain.RightTexts[rights[i]].Label
	})
	labelled(b, "APPLICATIONS", "ApplicationKey", "APPLICATION_NAMES", len(domain.Applications), func(i int) (string, domain.Text) {
		return domain.Applications[i].Key, domain.Applications[i].Name
	})
	labelled(b, "HISTORY_ACTION_GROUPS", "HistoryActionGroup", "HISTORY_ACTION_GROUP_LABELS", len(audit.ActionGroups), func(i int) (string, domain.Text) {
		return audit.ActionGroups[i].Key, audit.ActionGroups[i].Label
	})
	list(b, "HISTORY_ACTIONS", "HistoryAction", audit.ActionCodes())
	b.WriteString("export const HISTORY_ACTION_LABELS: Record<HistoryAction, Words & { group: HistoryActionGroup }> = {\n")
	for _, a := range audit.Actions {
		w := words(a.Label)
		fmt.Fprintf(b, "  %s: { group: %s, %s },\n", lit(a.Code), lit(a.Group), w[2:len(w)-2])
	}
	b.WriteString("};\n")
	list(b, "VERIFY_PROBLEMS", "VerifyProblem", audit.OrgProblems)
	list(b, "EXPORT_PROBLEMS", "ExportProblem", audit.ExportProblems)

	codes := make([]string, len(domain.Codes))
	for i, c := range domain.Codes {
		codes[i] = string(c)
	}
	list(b, "ERROR_CODES", "ErrorCode", codes)
	list(b, "FIELD_CODES", "FieldCode", domain.FieldCodes)
}

// labelled writes the n keys item gives as a list (name, typ), and their
// words as a record keyed by them (labels).
func labelled(b *bytes.Buffer, name, typ, labels string, n int, item func(i int) (string, domain.Text)) {
	keys := make([]string, n)
	for i := range keys {
		keys[i], _ = item(i)
	}
	list(b, name, typ, keys)
	fmt.Fprintf(b, "export const %s: Record<%s, Words> = {\n", labels, typ)
	for i := range keys {
		k, w := item(i)
		fmt.Fprintf(b, "  %s: %s,\n", lit(k), words(w))
	}
	b.WriteString("};\n")
}

// list writes a constant array of strings and the union type of its values.
func list(b *bytes.Buffer, name, typ string, values []string) {
	fmt.Fprintf(b, "export const %s = [\n", name)
	line := "  "
	for _, v := range values {
		item := lit(v) + ","
		if len(line)+len(item)+1 > 110 {
			b.WriteString(strings.TrimRight(line, " ") + "\n")
			line = "  "
		}
		line += item + " "
	}
	b.WriteString(strings.TrimRight(line, " ") + "\n] as const;\n")
	fmt.Fprintf(b, "export type %s = (typeof %s)[number];\n", typ, name)
}

func words(t domain.Text) string {
	return "{ fr: " + lit(t.Fr) + ", en: " + lit(t.En) + " }"
}

// lit is a TypeScript string literal.
func lit(s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	out := strings.TrimSuffix(buf.String(), "\n")
	if !strings.ContainsAny(s, `'\`) {
		return "'" + out[1:len(out)-1] + "'"
	}
	return out
}
