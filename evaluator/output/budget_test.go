package output

import (
	"bytes"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/budgetcheck/budgetcheck/evaluator/result"
)

// budgetDoc declares 265.204 for lines of 256.204 and has a cut no line took.
func budgetDoc() *result.Document {
	d := decimal.RequireFromString
	return &result.Document{File: "x.yaml", Budget: result.Budget{
		Unit: "万元", Requested: d("265.204"), RequestedLines: d("256.204"), Recommended: d("222.445"), Change: d("-42.759"),
		Lines: []result.Line{{ID: "L1", Name: "信息化建设", Requested: d("256.204"), Recommended: d("222.445"), Change: d("-33.759")}},
		Notes: []result.BudgetNote{{Code: result.UnplacedCut, Amount: d("-5"), Text: "X（C1）建议调减 5万元，超出合同各预算行的建议数，未能计入任何预算行；请核实"}},
	}}
}

// The declared total stays visible beside the lines' sum, and the budget's
// notes are printed under the table, in text and in markdown.
func TestBudgetDeclaredTotalAndNotes(t *testing.T) {
	var text, md bytes.Buffer
	if err := (&Text{}).Write(&text, []*result.Document{budgetDoc()}); err != nil {
		t.Fatal(err)
	}
	if err := (&Markdown{}).Write(&md, []*result.Document{budgetDoc()}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"明细合计", "256.204  222.445  -33.759", "申报总额", "265.204  222.445  -42.759", "注：X（C1）建议调减 5万元"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text does not show %q:\n%s", want, text.String())
		}
	}
	for _, want := range []string{"| **明细合计** | | **256.204** | **222.445** | **-33.759** |", "| **申报总额** | | **265.204** | **222.445** | **-42.759** |", "注：X（C1）建议调减 5万元"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown does not show %q:\n%s", want, md.String())
		}
	}
}
