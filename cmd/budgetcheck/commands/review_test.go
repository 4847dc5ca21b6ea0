package commands_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/budgetcheck/budgetcheck/cmd/budgetcheck/commands"
	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/fixtures/xlsx/district"
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
	if !strings.Contains(stdout, "绩效目标审核：优 3、良 1、中 6、差 2") {
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
	if grades["优"] != 3 || grades["良"] != 1 || grades["中"] != 6 || grades["差"] != 2 {
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

// TestBatchReviewsADistrictsExport: the generated district folder (15
// workbooks, 300 projects), with --fiscal-year and no --data overlay, gets
// the target review by default: every readable project a grade and its
// numbered notes, the grade counts on stdout and in 汇总.
func TestBatchReviewsADistrictsExport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "export")
	if _, err := district.Write(dir); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "review")
	stdout, stderr, code := run(t, "batch", "--quiet", "--fiscal-year", "2023", "--out", out, dir)
	if code != commands.ExitInput { // the one project that cannot be read
		t.Fatalf("exit %d, want 2\n%s%s", code, stdout, stderr)
	}
	m := regexp.MustCompile(`绩效目标审核：优 (\d+)、良 (\d+)、中 (\d+)、差 (\d+)`).FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("no grade counts on stdout:\n%s", stdout)
	}
	graded := 0
	for _, n := range m[1:] {
		k, _ := strconv.Atoi(n)
		graded += k
	}
	if graded != 299 {
		t.Errorf("%d projects graded, want the 299 readable ones: %s", graded, m[0])
	}
	if strings.Contains(stdout, "建议") || strings.Contains(stdout, "调整") {
		t.Errorf("a review-only batch reports a recommendation:\n%s", stdout)
	}
	rows := readSummaryCSV(t, filepath.Join(out, "summary.csv"))
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	withGrade := 0
	for _, r := range rows[1 : len(rows)-1] {
		if r[col["排名"]] == "" {
			continue
		}
		if g := r[col["审核结果"]]; g != "优" && g != "良" && g != "中" && g != "差" {
			t.Errorf("row without a grade: %q", r)
			continue
		}
		withGrade++
		if notes := r[col["审核意见"]]; r[col["审核结果"]] != "优" && !strings.HasPrefix(notes, "1. ") {
			t.Errorf("%s graded %s without numbered notes: %q", r[col["项目名称"]], r[col["审核结果"]], notes)
		}
		if r[col["评估结论"]] != "" || r[col["建议金额（万元）"]] != "" {
			t.Errorf("a review row carries a conclusion or a recommendation: %q", r)
		}
	}
	if withGrade != 299 {
		t.Errorf("%d graded rows in 汇总, want 299", withGrade)
	}
	if total := rows[len(rows)-1]; total[col["审核结果"]] != strings.TrimPrefix(m[0], "绩效目标审核：") {
		t.Errorf("totals row grade counts %q, stdout %q", total[col["审核结果"]], m[0])
	}
}
