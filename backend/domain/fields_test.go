package domain

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// stringConsts returns the string constants of a Go file whose names match
// keep, by name.
func stringConsts(t *testing.T, path string, keep func(string) bool) map[string]string {
	t.Helper()
	file, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, d := range file.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			v := s.(*ast.ValueSpec)
			for i, n := range v.Names {
				if i < len(v.Values) && keep(n.Name) {
					if lit, ok := v.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						out[n.Name] = strings.Trim(lit.Value, `"`)
					}
				}
			}
		}
	}
	return out
}

func isFieldName(n string) bool {
	return len(n) > 5 && (strings.HasPrefix(n, "Field") || strings.HasPrefix(n, "field")) && n[5] >= 'A' && n[5] <= 'Z'
}

// Field codes are declared once, in fields.go, each listed in FieldCodes: a
// code declared anywhere else under backend/ would reach the console without
// a label test knowing of it.
func TestFieldCodesAreDeclaredOnce(t *testing.T) {
	listed := map[string]bool{}
	for _, c := range FieldCodes {
		if listed[c] {
			t.Errorf("%s is listed twice", c)
		}
		listed[c] = true
	}
	declared := stringConsts(t, "fields.go", isFieldName)
	values := map[string]string{}
	for name, code := range declared {
		if other, ok := values[code]; ok {
			t.Errorf("%s and %s both declare %q", name, other, code)
		}
		values[code] = name
		if !listed[code] {
			t.Errorf("%s (%q) is not in FieldCodes", name, code)
		}
	}
	if len(declared) != len(FieldCodes) {
		t.Errorf("fields.go declares %d codes, FieldCodes lists %d", len(declared), len(FieldCodes))
	}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") ||
			filepath.Clean(path) == filepath.Join("..", "domain", "fields.go") {
			return err
		}
		for name, code := range stringConsts(t, path, isFieldName) {
			t.Errorf("%s declares the field code %s = %q: declare it in domain/fields.go", path, name, code)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Codes lists every error code declared in errors.go.
func TestErrorCodesAreListed(t *testing.T) {
	listed := map[Code]bool{}
	for _, c := range Codes {
		listed[c] = true
	}
	declared := stringConsts(t, "errors.go", func(n string) bool { return strings.HasPrefix(n, "Code") })
	for name, code := range declared {
		if !listed[Code(code)] {
			t.Errorf("%s (%q) is not in Codes", name, code)
		}
	}
	if len(declared) != len(Codes) {
		t.Errorf("errors.go declares %d codes, Codes lists %d", len(declared), len(Codes))
	}
}
