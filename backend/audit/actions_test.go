package audit

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"testing"
)

// Every action declared in audit.go is in Actions once, in a known group,
// with words in both languages; nothing else is.
func TestEveryActionHasWords(t *testing.T) {
	file, err := parser.ParseFile(token.NewFileSet(), "audit.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	declared := map[string]bool{}
	for _, d := range file.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			for _, v := range s.(*ast.ValueSpec).Values {
				if lit, ok := v.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					declared[strings.Trim(lit.Value, `"`)] = true
				}
			}
		}
	}
	groups := map[string]bool{}
	for _, g := range ActionGroups {
		groups[g.Key] = g.Label.Fr != "" && g.Label.En != ""
	}
	listed := map[string]bool{}
	words := map[string]string{}
	for _, a := range Actions {
		switch {
		case listed[a.Code]:
			t.Errorf("%s is listed twice", a.Code)
		case !declared[a.Code]:
			t.Errorf("%s is not declared in audit.go", a.Code)
		case !groups[a.Group]:
			t.Errorf("%s is in the group %q, which has no words", a.Code, a.Group)
		case a.Label.Fr == "" || a.Label.En == "":
			t.Errorf("%s has no words in one language", a.Code)
		}
		for _, w := range []string{"fr:" + a.Label.Fr, "en:" + a.Label.En} {
			if other, ok := words[w]; ok {
				t.Errorf("%s and %s read the same: %s", a.Code, other, w)
			}
			words[w] = a.Code
		}
		listed[a.Code] = true
	}
	for code := range declared {
		if !listed[code] {
			t.Errorf("%s is declared but not in Actions", code)
		}
	}
	if ActionLabel(MemberDisabled, "en") != "Member disabled" || ActionLabel(MemberDisabled, "fr") != "Membre désactivé" || ActionLabel("x.y", "fr") != "x.y" {
		t.Error("ActionLabel does not read Actions")
	}
}
