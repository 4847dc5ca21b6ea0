package baseline

import (
	"testing"

	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

func findings(keys ...string) []result.Finding {
	var out []result.Finding
	for i := 0; i+1 < len(keys); i += 2 {
		out = append(out, result.Finding{Code: keys[i], Subject: keys[i+1], Severity: "error", Location: submission.Pos{Line: 10 * (i + 1)}})
	}
	return out
}

func TestCompareMatchesByCodeAndSubject(t *testing.T) {
	base := &result.Document{Findings: findings("A", "L1", "B", "C1", "B", "C1", "C", "L4")}
	doc := &result.Document{Findings: findings("B", "C1", "A", "L2", "A", "L1")}
	// Lines moved: A/L1 is now at another line and still matches.
	doc.Findings[2].Location.Line = 999
	Compare(doc, base)
	var states []string
	for _, f := range doc.Findings {
		states = append(states, f.Code+"/"+f.Subject+"="+f.Baseline)
	}
	want := []string{"B/C1=unchanged", "A/L2=new", "A/L1=unchanged"}
	for i := range want {
		if states[i] != want[i] {
			t.Errorf("states %v, want %v", states, want)
			break
		}
	}
	if len(doc.Resolved) != 2 || doc.Resolved[0].Code != "B" || doc.Resolved[1].Code != "C" {
		t.Errorf("resolved %+v, want one B/C1 (of two) and C/L4", doc.Resolved)
	}
	if n := New(doc); n["error"] != 1 {
		t.Errorf("New = %v, want 1 error", n)
	}
}

func TestCompareWithoutBaselineMakesAllNew(t *testing.T) {
	doc := &result.Document{Findings: findings("A", "L1")}
	Compare(doc, nil)
	if doc.Findings[0].Baseline != result.New || doc.Resolved != nil {
		t.Errorf("got %+v", doc)
	}
}

func TestFor(t *testing.T) {
	p := result.Project{Name: "项目", BudgetUnit: "局", FiscalYear: 2021}
	a := &result.Document{File: "a.yaml", Project: p}
	b := &result.Document{File: "b.yaml", Project: result.Project{Name: "其他"}}
	if For(&result.Document{File: "b.yaml"}, []*result.Document{a, b}) != b {
		t.Error("same file not chosen")
	}
	if For(&result.Document{File: "c.yaml", Project: p}, []*result.Document{a, b}) != a {
		t.Error("same project not chosen")
	}
	if For(&result.Document{File: "c.yaml"}, []*result.Document{b}) != b {
		t.Error("the only baseline not chosen")
	}
	if For(&result.Document{File: "c.yaml"}, []*result.Document{a, b}) != nil {
		t.Error("no baseline fits, got one")
	}
}
