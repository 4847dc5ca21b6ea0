package evaluator_test

import (
	"context"
	"testing"

	"github.com/budgetcheck/budgetcheck/evaluator"
	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
	"github.com/budgetcheck/budgetcheck/policies"
)

func TestProcedureChosenByInput(t *testing.T) {
	for _, tc := range []struct {
		name string
		sub  submission.Submission
		want string
	}{
		{"a workbook's project", submission.Submission{File: "book.XLSX"}, result.TargetReview},
		{"targets, no contracts or lines", submission.Submission{Targets: []submission.Target{{Name: "x"}}}, result.TargetReview},
		{"texts only", submission.Submission{Project: submission.Project{AnnualGoal: "完成"}}, result.TargetReview},
		{"budget lines", submission.Submission{Targets: []submission.Target{{Name: "x"}}, BudgetLines: []submission.BudgetLine{{ID: "L1"}}}, result.PreEvaluation},
		{"contracts", submission.Submission{Contracts: []submission.Contract{{ID: "C1"}}}, result.PreEvaluation},
		{"nothing at all", submission.Submission{}, result.PreEvaluation},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := evaluator.Procedure(&tc.sub); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

// TestEnginesChoosePerSubmission: the seed goes to the pre-evaluation and
// keeps its numbers; a 申报表 to the target review, graded with notes.
func TestEnginesChoosePerSubmission(t *testing.T) {
	var sets []*ruleset.Ruleset
	for _, dir := range policies.Rulesets {
		rs, err := ruleset.Load([]ruleset.Source{policies.Source(dir)}, nil)
		if err != nil {
			t.Fatal(err)
		}
		sets = append(sets, rs)
	}
	engines, err := evaluator.NewEngines(sets, evaluator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	seed, err := submission.Load("../fixtures/qingbaijiang-2021/submission.yaml", submission.Options{})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := engines.Evaluate(ctx, seed)
	if err != nil {
		t.Fatal(err)
	}
	if doc.Procedure != result.PreEvaluation || doc.Score.Total.String() != "70.13" || doc.Budget.Recommended.String() != "222.445" || doc.Conclusion.Code != result.SupportAfterAdjustment || doc.Review != nil {
		t.Errorf("seed: %s %s %s %s", doc.Procedure, doc.Score.Total, doc.Budget.Recommended, doc.Conclusion.Code)
	}
	declared, err := submission.Parse("declared.yaml", []byte(`schema: budgetcheck/v1
project:
  name: 道路养护项目
  budget_unit: 区交通局
  fiscal_year: 2023
  requested_total: 100
  policy_basis: [{title: 《公路养护技术规范》}]
  cost_basis_text: 养护里程200公里×0.5万元/公里=100万元
  annual_goal: 完成200公里道路日常养护，路况优良率不低于90%
targets:
  - {level1: 产出, level2: 数量, name: 养护里程, value: 200公里, explanation: 反映养护规模}
  - {level1: 产出, level2: 质量, name: 路况优良率, value: ≥90%, explanation: 考察养护质量}
  - {level1: 产出, level2: 时效, name: 病害处置时限, value: 三小时之内, explanation: 考察处置时效}
  - {level1: 产出, level2: 成本, name: 养护成本, value: ≤0.5万元/公里, explanation: 考察成本}
  - {level1: 效益, level2: 社会效益, name: 群众出行满意率, value: 明显提升, explanation: 反映出行便利}
`))
	if err != nil {
		t.Fatal(err)
	}
	doc, err = engines.Evaluate(ctx, declared)
	if err != nil {
		t.Fatal(err)
	}
	r := doc.Review
	if doc.Procedure != result.TargetReview || r == nil {
		t.Fatalf("declared: procedure %q, review %v", doc.Procedure, r)
	}
	// 明显提升 is not measurable (2 points, and no quantified benefit: 2 more) → 中
	if r.Grade != "中" || r.Code != result.Fair || r.Consequence != "由单位修改完善绩效目标，按程序重新报送审核" {
		t.Errorf("grade %s %s %s", r.Grade, r.Code, r.Consequence)
	}
	// both at the row of 明显提升, by code
	want := []string{
		"效益指标均未量化：至少设置一项可衡量的效益指标，如“群众办事时间节约率≥20%”。",
		"第15行（社会效益）“明显提升”不可衡量：写明可衡量的效益值，如“群众办事时间节约率≥20%”。",
	}
	if len(r.Notes) != len(want) {
		t.Fatalf("notes %+v", r.Notes)
	}
	for i, n := range r.Notes {
		if n.N != i+1 || n.Text != want[i] || n.Location.Line != 15 {
			t.Errorf("note %d: %+v, want %q at line 15", i+1, n, want[i])
		}
	}
	if doc.Conclusion.Code != "" || !doc.Budget.Change.IsZero() || !doc.Score.Total.IsZero() {
		t.Errorf("a review has no conclusion, change or score: %+v %s %s", doc.Conclusion, doc.Budget.Change, doc.Score.Total)
	}
}

// Engines in another language share the prepared engines (the server holds
// one copy for zh and en) and write the same result in their language.
func TestEnginesInLangShareTheEngine(t *testing.T) {
	rs, err := ruleset.Load([]ruleset.Source{policies.Source(policies.Default)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	zh, err := evaluator.NewEngines([]*ruleset.Ruleset{rs}, evaluator.Options{Schedule: true})
	if err != nil {
		t.Fatal(err)
	}
	en := zh.InLang(ruleset.LangEn)
	ctx := context.Background()
	seed, err := submission.Load("../fixtures/qingbaijiang-2021/submission.yaml", submission.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// en first: whichever language asks first prepares the engine for both
	enDoc, err := en.Evaluate(ctx, seed)
	if err != nil {
		t.Fatal(err)
	}
	zhDoc, err := zh.Evaluate(ctx, seed)
	if err != nil {
		t.Fatal(err)
	}
	if zhDoc.Lang != "zh" || enDoc.Lang != "en" || zh.Lang() != "zh" || en.Lang() != "en" {
		t.Errorf("languages: documents %s/%s, engines %s/%s; want zh/en", zhDoc.Lang, enDoc.Lang, zh.Lang(), en.Lang())
	}
	if zhDoc.Score.Total.String() != "70.13" || enDoc.Score.Total.String() != "70.13" || !enDoc.Budget.Recommended.Equal(zhDoc.Budget.Recommended) || enDoc.Schedule == nil {
		t.Errorf("scores %s/%s, recommended %s/%s, en schedule %v", zhDoc.Score.Total, enDoc.Score.Total, zhDoc.Budget.Recommended, enDoc.Budget.Recommended, enDoc.Schedule != nil)
	}
	if zhDoc.Conclusion.Text == enDoc.Conclusion.Text {
		t.Errorf("the conclusion reads %q in both languages", zhDoc.Conclusion.Text)
	}
	zhEng, _ := zh.For(ctx, seed)
	enEng, _ := en.For(ctx, seed)
	if zhEng.Ruleset() != enEng.Ruleset() || zhEng == enEng {
		t.Errorf("zh and en engines: same ruleset %v, same engine %v; want one ruleset, two engines", zhEng.Ruleset() == enEng.Ruleset(), zhEng == enEng)
	}
}
