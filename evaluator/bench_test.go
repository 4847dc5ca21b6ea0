package evaluator_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/budgetcheck/budgetcheck/evaluator"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
	"github.com/budgetcheck/budgetcheck/evaluator/xlsximport"
	"github.com/budgetcheck/budgetcheck/policies"
)

// BenchmarkEvaluateSeed is one evaluation of the seed fixture with the
// prepared query: derive, input conversion, Rego, collect.
//
//	go test -run '^$' -bench EvaluateSeed -benchmem ./evaluator/
func BenchmarkEvaluateSeed(b *testing.B) {
	benchmarkFiles(b, []string{seed})
}

// BenchmarkEvaluateTargetReview is one evaluation of a 申报表 by the target
// review: the projects of the workbook fixture form.xlsx in turn.
func BenchmarkEvaluateTargetReview(b *testing.B) {
	wb, err := xlsximport.Import("../fixtures/xlsx/form.xlsx", xlsximport.Options{})
	if err != nil {
		b.Fatal(err)
	}
	subs := make([]*submission.Submission, len(wb.Projects))
	for i, p := range wb.Projects {
		subs[i] = p.Submission
	}
	benchmarkSubmissions(b, subs)
}

// BenchmarkEvaluateGenerated evaluates the submissions in
// $BUDGETCHECK_BENCH_DIR (from go run ./fixtures/gen), one per iteration in
// turn; it is skipped when the variable is not set.
func BenchmarkEvaluateGenerated(b *testing.B) {
	dir := os.Getenv("BUDGETCHECK_BENCH_DIR")
	if dir == "" {
		b.Skip("BUDGETCHECK_BENCH_DIR is not set")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if len(files) > 200 {
		files = files[:200]
	}
	benchmarkFiles(b, files)
}

func benchmarkFiles(b *testing.B, files []string) {
	subs := make([]*submission.Submission, len(files))
	for i, f := range files {
		sub, err := submission.Load(f, submission.Options{})
		if err != nil {
			b.Fatal(err)
		}
		subs[i] = sub
	}
	benchmarkSubmissions(b, subs)
}

// benchmarkSubmissions evaluates subs in turn, each with the engine of the
// procedure it calls for.
func benchmarkSubmissions(b *testing.B, subs []*submission.Submission) {
	ctx := context.Background()
	engs := make([]*evaluator.Engine, len(subs))
	for i, sub := range subs {
		var err error
		if engs[i], err = engines(b).For(ctx, sub); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		if _, err := engs[i%len(subs)].Evaluate(ctx, subs[i%len(subs)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkPrepare is what every process that evaluates pays once before
// its first evaluation: load the embedded ruleset as the commands do
// (without its *_test.rego), compile it, prepare the query.
func BenchmarkPrepare(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		rs, err := ruleset.LoadPolicies([]ruleset.Source{policies.Source(policies.Default)}, nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := evaluator.New(context.Background(), rs, evaluator.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
