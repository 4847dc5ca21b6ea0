package annotate_test

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"testing"

	"github.com/budgetcheck/budgetcheck/evaluator/annotate"
	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
	"github.com/budgetcheck/budgetcheck/evaluator/summary"
)

// The register's memory does not grow with the projects beyond its small
// index. By hand (not in CI): BUDGETCHECK_REGISTER_N=100000 go test
// ./evaluator/annotate -run Memory -v prints the peak heap.
func TestRegisterMemory(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("BUDGETCHECK_REGISTER_N"))
	if n == 0 {
		t.Skip("set BUDGETCHECK_REGISTER_N to measure")
	}
	r, err := annotate.NewRegister(t.TempDir(), "zh")
	if err != nil {
		t.Fatal(err)
	}
	var peak uint64
	sample := func() {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapInuse)
	}
	for i := range n {
		doc := &result.Document{Schema: result.Schema, File: fmt.Sprintf("d/%d.xlsx", i/20),
			Project:    result.Project{Name: fmt.Sprintf("项目%d", i), Code: fmt.Sprintf("5101132%011d", i), BudgetUnit: fmt.Sprintf("示范区第%d局", i%150)},
			Conclusion: result.Conclusion{Code: result.Support, Text: "予以支持"}}
		for k := range 5 {
			doc.Findings = append(doc.Findings, result.Finding{Code: "TARGET_VALUE_NOT_MEASURABLE", Severity: "warning",
				Location: submission.Pos{File: fmt.Sprintf("d/%d.xlsx#表%d!D%d", i/20, i%20, 12+k), Line: 12 + k, Column: 4},
				Message:  "指标“道路通行更加顺畅”的指标值“明显提升”不可衡量；应写作比较符+数值+单位（如≥95%）或日期"})
		}
		if err := r.Add(doc); err != nil {
			t.Fatal(err)
		}
		if i%(n/10+1) == 0 {
			sample()
		}
	}
	sample()
	if err := r.Close(summary.Status{Inputs: n / 20, Total: n / 20}); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d projects: peak heap in use while adding %.1f MB", n, float64(peak)/1e6)
}
