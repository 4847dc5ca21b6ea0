package commands_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/budgetcheck/budgetcheck/cmd/budgetcheck/commands"
	"github.com/budgetcheck/budgetcheck/evaluator/result"
)

// TestBatchReviewsWorkbooks: a folder of 申报表 workbooks, with no --data
// overlay, gets the target review: every project a grade, numbered notes,
// and the grade counts on stdout.
func TestBatchReviewsWorkbooks(t *testing.T) {
	out := filepath.Join(t.TempDir(), "review")
	stdout, stderr, code := run(t, "batch", "--quiet", "--out", out, "../../../fixtures/xlsx")
	if code != commands.ExitFail { // some projects are graded 差
		t.Fatalf("exit %d, want %d\n%s%s", code, commands.ExitFail, stdout, stderr)
	}
	if !strings.Contains(stdout, "绩效目标审核：优 3、良 3、中 4、差 2") {
		t.Errorf("stdout lacks the grade counts:\n%s", stdout)
	}
	var files []string
	filepath.WalkDir(filepath.Join(out, "results"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return err
	})
	if len(files) != 12 {
		t.Fatalf("%d result documents, want 12", len(files))
	}
	grades := map[string]int{}
	for _, f := range files {
		bs, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc result.Document
		if err := json.Unmarshal(bs, &doc); err != nil {
			t.Fatal(err)
		}
		if doc.Procedure != result.TargetReview || doc.Review == nil {
			t.Fatalf("%s: procedure %q, review %v", f, doc.Procedure, doc.Review)
		}
		grades[doc.Review.Grade]++
		if len(doc.Review.Notes) != len(doc.Findings) {
			t.Errorf("%s: %d notes for %d findings", f, len(doc.Review.Notes), len(doc.Findings))
		}
		for i, n := range doc.Review.Notes {
			if n.N != i+1 || !strings.HasSuffix(n.Text, "。") {
				t.Errorf("%s: note %d: %+v", f, i+1, n)
			}
		}
		if doc.Conclusion.Code != "" || strings.Contains(string(bs), "予以支持") {
			t.Errorf("%s: a target review speaks of 予以支持: %s", f, doc.Conclusion.Text)
		}
	}
	if grades["优"] != 3 || grades["良"] != 3 || grades["中"] != 4 || grades["差"] != 2 {
		t.Errorf("grades %v", grades)
	}
}

// TestCheckReviewNotes: a 申报表 as YAML gets the review; the notes name the
// row, what is wrong and what to write; --ruleset chengdu forces the
// pre-evaluation; the seed keeps its numbers.
func TestCheckReviewNotes(t *testing.T) {
	file := filepath.Join(t.TempDir(), "declared.yaml")
	os.WriteFile(file, []byte(`schema: budgetcheck/v1
project:
  name: 政务服务热线运行项目
  budget_unit: 示范区政务服务中心
  fiscal_year: 2023
  requested_total: 45
  policy_basis:
    - title: 根据区委区政府工作安排
  cost_basis_text: 坐席30个×1.5万元/个=45万元
  annual_goal: 保障热线30个坐席全年运行，接通率不低于95%
targets:
  - {level1: 产出, level2: 数量, name: 热线坐席数, value: 30个, explanation: 反映坐席规模}
  - {level1: 产出, level2: 质量, name: 热线接通率, value: ≥95%, explanation: 考察接通情况}
  - {level1: 产出, level2: 时效, name: 工单办理时间, value: 及时, explanation: 考察办理时效}
  - {level1: 产出, level2: 成本, name: 坐席服务成本, value: ≤45万元, explanation: 考察成本}
  - {level1: 效益, level2: 社会效益, name: 群众办事时间节约率, value: 七个工作日内, explanation: 反映便利}
`), 0o644)
	stdout, stderr, code := run(t, "check", file)
	if code != commands.ExitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{"审核结果: 中（由单位修改完善绩效目标，按程序重新报送审核）", "1. 政策依据（“根据区委区政府工作安排”）未引用文件", "2. 第14行（时效）“及时”不可衡量：写明时限，如“≤3个工作日”。"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "予以支持") || strings.Contains(stdout, "评估得分") {
		t.Errorf("a target review speaks the pre-evaluation's language:\n%s", stdout)
	}
	stdout, _, _ = run(t, "check", "--ruleset", "chengdu", file)
	if !strings.Contains(stdout, "评估结论") {
		t.Errorf("--ruleset chengdu did not force the pre-evaluation:\n%s", stdout)
	}
	stdout, _, _ = run(t, "check", "../../../fixtures/qingbaijiang-2021/submission.yaml")
	for _, want := range []string{"70.13", "222.445", "调整后予以支持"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the seed lost %s:\n%s", want, stdout)
		}
	}
}
