package annotate_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/budgetcheck/budgetcheck/evaluator/annotate"
	"github.com/budgetcheck/budgetcheck/evaluator/batch"
	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
	"github.com/budgetcheck/budgetcheck/evaluator/summary"
)

// A folder of workbooks comes back as the same tree under the copies' folder.
func TestCopyPath(t *testing.T) {
	root := annotate.Root([]string{"district/教育局/a.xlsx", "district/水务局/b.xlsx", "other/c.yaml"})
	for in, want := range map[string]string{
		"district/教育局/a.xlsx": "out/教育局/a.xlsx",
		"district/水务局/b.xlsx": "out/水务局/b.xlsx",
		"elsewhere/d.xlsx":    "out/d.xlsx",
	} {
		if got := annotate.CopyPath("out", root, in); got != filepath.FromSlash(want) {
			t.Errorf("CopyPath(%s) = %s, want %s", in, got, want)
		}
	}
	if got := annotate.CopyPath("out", annotate.Root([]string{"../form.xlsx"}), "../form.xlsx"); got != filepath.FromSlash("out/form.xlsx") {
		t.Errorf("one workbook: %s, want out/form.xlsx", got)
	}
}

// A project of a workbook that could not be read is in the register with the
// name and code its row has, and in the letter of its workbook's unit.
func TestBatchUnreadableProjectOfAWorkbook(t *testing.T) {
	out := t.TempDir()
	b, err := annotate.NewBatch(out, "", annotate.Options{Lang: "zh"})
	if err != nil {
		t.Fatal(err)
	}
	good := &result.Document{File: "in.yaml", Project: result.Project{Name: "甲项目", Code: "1", BudgetUnit: "区水务局"},
		Review: &result.Review{Grade: "优", Code: "excellent"}}
	bad := &result.Document{File: "in.yaml", Errors: submission.Problems{{Code: "invalid_amount", Pos: submission.Pos{File: "book.xlsx#乙!E6", Line: 6, Column: 5}, Message: "not a number", Zh: "本年度项目金额“待定”不是数字"}}}
	item := batch.Item{Input: "in.yaml", Docs: []*result.Document{good, bad},
		Rows: []summary.Row{{Project: "甲项目", Code: "1", Sheet: "甲"}, {Project: "乙项目", Code: "2", Sheet: "乙"}}}
	if err := b.Add(item); err != nil {
		t.Fatal(err)
	}
	if wrote, err := b.Close(summary.Status{Inputs: 1, Total: 1}); err != nil || !wrote {
		t.Fatalf("register written %v: %v", wrote, err)
	}
	letter, err := os.ReadFile(filepath.Join(out, "审核意见-区水务局.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"## 2. 乙项目", "- 项目编码：2", "**无法评估**", "- 文件：in.yaml（工作表：乙）", "1. 乙!E6：本年度项目金额“待定”不是数字"} {
		if !strings.Contains(string(letter), want) {
			t.Errorf("letter lacks %q:\n%s", want, letter)
		}
	}
}
