package submission_test

import (
	"errors"
	"testing"
	"time"

	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

// TestHostileInputs: inputs too large to commit are refused as input
// problems, each with its own code and line, quickly.
func TestHostileInputs(t *testing.T) {
	for _, c := range []struct {
		name     string
		make     func() ([]byte, int)
		code     string
		problems int
	}{
		{"one long text aliased 3000 times", func() ([]byte, int) { return submission.AliasedText(350_000, 3000) }, submission.CodeTooComplex, 1},
		{"100,000 targets", func() ([]byte, int) { return submission.ManyTargets(100_000) }, submission.CodeTooManyItems, 1},
		{"100 contracts of 1,000 instalments", func() ([]byte, int) { return submission.ManyInstalments(100, 1000) }, submission.CodeTooManyPayments, 1},
		{"5,000,000 one-letter values", func() ([]byte, int) { return submission.ManyValues(5_000_000) }, submission.CodeTooComplex, 1},
		{"10 contracts of 500 instalments", func() ([]byte, int) { return submission.ManyInstalments(10, 500) }, submission.CodeTooManyItems, 10},
		{"1,000 contracts of 100 instalments", func() ([]byte, int) { return submission.ManyInstalments(1000, 100) }, submission.CodeTooManyPayments, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			data, line := c.make()
			start := time.Now()
			_, err := submission.Parse("hostile.yaml", data)
			took := time.Since(start)
			var problems submission.Problems
			if !errors.As(err, &problems) {
				t.Fatalf("Parse = %v, want problems", err)
			}
			if len(problems) != c.problems || problems[0].Code != c.code || problems[0].Pos.Line != line {
				t.Errorf("%d problems, the first %v; want %d, the first %s at line %d", len(problems), problems[0], c.problems, c.code, line)
			}
			if problems[0].Zh == "" {
				t.Errorf("no Chinese message: %v", problems[0])
			}
			if took > 5*time.Second {
				t.Errorf("took %v", took)
			}
		})
	}
}

// TestJSONSlashEscape: "\/" is valid JSON (PHP writes it for every "/"); it
// loads as "/", with the lines where they were.
func TestJSONSlashEscape(t *testing.T) {
	data := []byte(`{
  "schema": "budgetcheck\/v1",
  "project": {"name": "A\/B \\\/ C", "budget_unit": "单位", "fiscal_year": 2021, "requested_total": "1"},
  "budget_lines": [{"id": "L1", "name": "建设", "amount": 1}]
}`)
	sub, err := submission.Parse("php.json", data)
	if err != nil {
		t.Fatal(err)
	}
	if sub.Schema != submission.SchemaV1 || sub.Project.Name != `A/B \/ C` {
		t.Errorf("schema %q, name %q", sub.Schema, sub.Project.Name)
	}
	if p := sub.Pos("budget_lines[0].amount"); p.Line != 4 {
		t.Errorf("budget_lines[0].amount at %v, want line 4", p)
	}
}
