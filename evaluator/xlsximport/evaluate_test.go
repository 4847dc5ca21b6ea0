package xlsximport_test

import (
	"context"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/budgetcheck/budgetcheck/evaluator"
	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
	"github.com/budgetcheck/budgetcheck/evaluator/xlsximport"
	"github.com/budgetcheck/budgetcheck/policies"
)

func engine(t *testing.T, overlay string) *evaluator.Engine {
	t.Helper()
	var overrides []ruleset.Source
	if overlay != "" {
		overrides = []ruleset.Source{{FS: os.DirFS("../../fixtures/xlsx"), Dir: overlay, Display: overlay}}
	}
	rs, err := ruleset.Load([]ruleset.Source{policies.Source(policies.Default)}, overrides)
	if err != nil {
		t.Fatal(err)
	}
	e, err := evaluator.New(context.Background(), rs, evaluator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// findingsAt lists findings as "CODE@Sheet!Cell", sorted.
func findingsAt(doc *result.Document) []string {
	out := []string{}
	for _, f := range doc.Findings {
		_, cell, _ := strings.Cut(f.Location.File, "#")
		out = append(out, f.Code+"@"+cell)
	}
	slices.Sort(out)
	return out
}

type evaluated struct {
	score      string
	conclusion string // with the targets-review overlay
	findings   []string
}

// The imported submissions carry targets and texts only: the three target
// indicators apply, the others leave the normalisation; the findings point
// at the cells. Without the overlay the basic assessment fails (no decision
// record, beneficiaries or need in a 申报表) and every project is rejected.
var wantEvaluated = map[string]evaluated{
	"510113210000001": {"100", result.Support, []string{"COST_BASIS_NO_COMPUTATION@智慧社区!B8"}},
	"510113210000002": {"100", result.Support, []string{"COSTING_UNIT_MISMATCH@热线运行!F7"}},
	"510113210000003": {"64", result.SupportAfterAdjustment, []string{
		"BENEFIT_NOT_QUANTIFIED@道路养护!D17", "COSTING_AMOUNT_MISMATCH@道路养护!B8",
		"QUALITY_INDICATOR_MISCLASSIFIED@道路养护!C14", "TARGET_NAME_TOO_LONG@道路养护!C17",
		"TARGET_VALUE_NOT_MEASURABLE@道路养护!D14", "TARGET_VALUE_NOT_MEASURABLE@道路养护!D17", "TARGET_VALUE_NOT_MEASURABLE@道路养护!D18"}},
	"老旧小区甲": {"84", result.Support, []string{"PROJECT_CODE_MANGLED@老旧小区甲!B2", "TARGET_MANDATORY_MISSING@老旧小区甲!A12"}},
	"老旧小区乙": {"100", result.Support, []string{"PROJECT_CODE_MANGLED@老旧小区乙!B2"}},
	"510113210000006": {"84", result.Support, []string{
		"TARGET_EXPLANATION_MISSING@学校食堂!E15", "TARGET_MANDATORY_NOT_APPLICABLE@学校食堂!D17", "TARGET_NAME_SUFFIX@学校食堂!C16",
		"TARGET_PARTLY_NOT_APPLICABLE@学校食堂!D14", "TARGET_VALUE_NO_UNIT@学校食堂!D13"}},
	"510113210000007": {"64", result.SupportAfterAdjustment, []string{
		"BENEFIT_NOT_QUANTIFIED@文化活动!A12", "TARGET_MANDATORY_MISSING@文化活动!A12", "TARGET_MANDATORY_MISSING@文化活动!A12",
		"TARGET_MANDATORY_MISSING@文化活动!A12", "TARGET_VALUE_BLANK@文化活动!D14"}},
	"510113210000008": {"100", result.Support, nil},
	"510113220000001": {"100", result.Support, nil},
	"项目信息-3":          {"80", result.Support, []string{"BENEFIT_NOT_QUANTIFIED@绩效指标!E12", "TARGET_VALUE_NOT_MEASURABLE@绩效指标!E12"}},
	"510113220000003": {"100", result.Support, []string{"COSTING_UNIT_MISMATCH@项目信息!F4"}},
	"510113220000004": {"32", result.Reject, []string{
		"BENEFIT_NOT_QUANTIFIED@绩效指标!B19", "TARGET_MANDATORY_MISSING@绩效指标!B19", "TARGET_MANDATORY_MISSING@绩效指标!B19",
		"TARGET_MANDATORY_NOT_APPLICABLE@绩效指标!E20", "TARGET_PARTLY_NOT_APPLICABLE@绩效指标!E21"}},
}

var applicable = []string{"target.completeness", "target.accuracy", "target.quantified"}

func TestEvaluateImported(t *testing.T) {
	plain, review := engine(t, ""), engine(t, "targets-review.data")
	seen := 0
	for _, book := range []string{"../../fixtures/xlsx/form.xlsx", "../../fixtures/xlsx/flat-2022.xlsx"} {
		wb, err := xlsximport.Import(book, xlsximport.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range wb.Projects {
			want, ok := wantEvaluated[p.Name()]
			if !ok {
				t.Errorf("unexpected project %s", p.Name())
				continue
			}
			seen++
			t.Run(p.Name(), func(t *testing.T) {
				doc, err := plain.Evaluate(context.Background(), p.Submission)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, ind := range doc.Indicators {
					if ind.Applicable {
						got = append(got, ind.Code)
					}
				}
				if !reflect.DeepEqual(got, applicable) {
					t.Errorf("applicable indicators %v, want %v", got, applicable)
				}
				if !doc.Score.Total.Equal(decimal.RequireFromString(want.score)) {
					t.Errorf("score %s, want %s", doc.Score.Total, want.score)
				}
				if doc.Basic.Passed || doc.Conclusion.Code != result.Reject {
					t.Errorf("without the overlay: basic passed %v, conclusion %s; want failed, reject", doc.Basic.Passed, doc.Conclusion.Code)
				}
				wantFindings := want.findings
				if wantFindings == nil {
					wantFindings = []string{}
				}
				if got := findingsAt(doc); !reflect.DeepEqual(got, wantFindings) {
					t.Errorf("findings\n got %v\nwant %v", got, wantFindings)
				}
				for _, f := range doc.Findings {
					if f.Severity == "error" {
						t.Errorf("%s is an error; import findings are warnings", f.Code)
					}
				}

				doc, err = review.Evaluate(context.Background(), p.Submission)
				if err != nil {
					t.Fatal(err)
				}
				if !doc.Basic.Passed || doc.Conclusion.Code != want.conclusion {
					t.Errorf("with the overlay: basic passed %v, conclusion %s; want passed, %s", doc.Basic.Passed, doc.Conclusion.Code, want.conclusion)
				}
			})
		}
	}
	if seen != len(wantEvaluated) {
		t.Errorf("%d projects evaluated, want %d", seen, len(wantEvaluated))
	}
}
