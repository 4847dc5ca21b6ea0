package evaluator

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/budgetcheck/budgetcheck/evaluator/money"
	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

// cutFinding is a finding that cuts fen from line.
func cutFinding(code, subject, line string, fen int64) placed {
	var pf policyFinding
	raw := `{"code":"` + code + `","subject":"` + subject + `","adjustments":[{"line":"` + line + `","amount_fen":` + decimal.NewFromInt(fen).String() + `}]}`
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&pf); err != nil {
		panic(err)
	}
	return placed{Finding: result.Finding{Code: code, Subject: subject}, policy: pf}
}

// A cut larger than its line moves on to the contract's other lines in the
// order of the budget table; what none can take is a note, not dropped; an
// addition is applied before any cut, whatever the findings' order.
func TestBuildBudgetPlacesCuts(t *testing.T) {
	unit, _ := money.LookupUnit("万元")
	d := decimal.RequireFromString
	sub := &submission.Submission{
		Project:   submission.Project{RequestedTotal: d("120")},
		Contracts: []submission.Contract{{ID: "C1"}, {ID: "C2"}},
		BudgetLines: []submission.BudgetLine{
			{ID: "A", Contract: "C1", Amount: d("10")},
			{ID: "B", Contract: "C2", Amount: d("50")},
			{ID: "C", Contract: "C1", Amount: d("40")},
			{ID: "D", Amount: d("20")},
		},
	}
	found := []placed{
		cutFinding("CUT", "C1", "A", -25*1000000), // 10 from A, 15 from C
		cutFinding("CUT", "D", "D", -30*1000000),  // 20 from D, 10 unplaced: D pays no contract
		cutFinding("CUT", "C1", "C", -30*1000000), // C has 25 left: 25, and 5 unplaced
		cutFinding("ADD", "C2", "B", 5*1000000),   // applied first
		cutFinding("CUT", "C2", "B", -55*1000000), // B has 55 after the addition
	}
	b, err := buildBudget(sub, unit, found)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"A": "0", "B": "0", "C": "0", "D": "0"}
	for _, l := range b.Lines {
		if got := l.Recommended.String(); got != want[l.ID] {
			t.Errorf("line %s recommended %s, want %s", l.ID, got, want[l.ID])
		}
	}
	if b.Recommended.String() != "0" || b.Change.String() != "-120" || b.RequestedLines.String() != "120" {
		t.Errorf("budget %s (change %s, lines %s), want 0 (-120, 120)", b.Recommended, b.Change, b.RequestedLines)
	}
	adjustments := func(p placed) string {
		bs, _ := json.Marshal(p.Adjustments)
		return string(bs)
	}
	for i, want := range []string{
		`[{"line":"A","amount":"-10"},{"line":"C","amount":"-15"}]`,
		`[{"line":"D","amount":"-20"}]`,
		`[{"line":"C","amount":"-25"}]`,
		`[{"line":"B","amount":"5"}]`,
		`[{"line":"B","amount":"-55"}]`,
	} {
		if got := adjustments(found[i]); got != want {
			t.Errorf("finding %d placed %s, want %s", i, got, want)
		}
	}
	notes, _ := json.Marshal(b.Notes)
	if got := string(notes); got != `[{"code":"unplaced_cut","finding":"CUT","subject":"D","line":"D","amount":"-10","text":""},{"code":"unplaced_cut","finding":"CUT","subject":"C1","line":"C","amount":"-5","text":""}]` {
		t.Errorf("notes %s", got)
	}
}

// A submission without budget lines keeps its declared total as the
// recommended budget, and lines the policies add come on top.
func TestBuildBudgetWithoutLines(t *testing.T) {
	unit, _ := money.LookupUnit("万元")
	sub := &submission.Submission{Project: submission.Project{RequestedTotal: decimal.NewFromInt(50)}, Contracts: []submission.Contract{{ID: "C1"}}}
	add := cutFinding("CONTRACT_PAYMENT_UNBUDGETED", "C1", "contract:C1", 3*1000000)
	add.policy.Adjustments[0].New = &struct {
		Name       string `json:"name"`
		Subproject string `json:"subproject"`
		Contract   string `json:"contract"`
	}{Name: "C1", Contract: "C1"}
	b, err := buildBudget(sub, unit, []placed{add})
	if err != nil {
		t.Fatal(err)
	}
	if b.Recommended.String() != "53" || b.Change.String() != "3" || len(b.Lines) != 1 {
		t.Errorf("budget %s (change %s, %d lines), want 53 (3, 1 line)", b.Recommended, b.Change, len(b.Lines))
	}
}
