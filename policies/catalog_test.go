package policies_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/budgetcheck/budgetcheck/evaluator/catalog"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
	"github.com/budgetcheck/budgetcheck/policies"
)

// TestCatalogInSync fails when policies/<ruleset>/CATALOG.md is not what
// `budgetcheck policy docs` generates from the embedded ruleset.
func TestCatalogInSync(t *testing.T) {
	for _, dir := range policies.Rulesets {
		t.Run(dir, func(t *testing.T) { catalogInSync(t, dir) })
	}
}

func catalogInSync(t *testing.T, dir string) {
	var want bytes.Buffer
	if err := catalog.New(loadNamed(t, dir)).WriteMarkdown(&want); err != nil {
		t.Fatal(err)
	}
	file := dir + "/CATALOG.md"
	regenerate := "go run ./cmd/budgetcheck policy docs --ruleset " + dir + " -o policies/" + file
	got, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v; generate it with: %s", err, regenerate)
	}
	if bytes.Equal(got, want.Bytes()) {
		return
	}
	gotLines, wantLines := strings.Split(string(got), "\n"), strings.Split(want.String(), "\n")
	for i := range max(len(gotLines), len(wantLines)) {
		g, w := line(gotLines, i), line(wantLines, i)
		if g != w {
			t.Fatalf("policies/%s is stale (first difference at line %d):\n  committed: %s\n  generated: %s\nregenerate it with: %s", file, i+1, g, w, regenerate)
		}
	}
}

func line(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return "(end of file)"
}

// TestCatalogCoversEveryDeclaration: every indicator and finding of the
// ruleset appears in the catalogue with its grading table or message.
func TestCatalogCoversEveryDeclaration(t *testing.T) {
	for _, dir := range policies.Rulesets {
		t.Run(dir, func(t *testing.T) { catalogCovers(t, loadNamed(t, dir)) })
	}
}

func catalogCovers(t *testing.T, rs *ruleset.Ruleset) {
	var md bytes.Buffer
	if err := catalog.New(rs).WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	for _, d := range rs.Catalog.Indicators {
		if !strings.Contains(md.String(), "\n### "+d.Code+"\n") {
			t.Errorf("indicator %s has no section", d.Code)
		}
		for _, g := range d.Grades {
			if !strings.Contains(md.String(), "| "+g.Grade+" | "+g.En+" |") {
				t.Errorf("indicator %s: grade %s missing", d.Code, g.Grade)
			}
		}
	}
	for code, f := range rs.Catalog.Findings {
		if !strings.Contains(md.String(), "\n### "+code+"\n") || !strings.Contains(md.String(), f.Basis) {
			t.Errorf("finding %s has no section with its basis", code)
		}
	}
}
