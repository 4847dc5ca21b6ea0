package batch

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/budgetcheck/budgetcheck/evaluator/summary"
)

// BenchmarkBatch is the whole batch, as `budgetcheck batch` runs it: load,
// evaluate, write each result document and the summaries, on one worker per
// CPU. It runs over the submissions in $BUDGETCHECK_BENCH_DIR (from go run
// ./fixtures/gen; the first 500) or, without it, over the repository's
// fixtures. The figure to read is µs/submission.
//
//	go run ./fixtures/gen -n 2000 -seed 1 -out /tmp/subs
//	BUDGETCHECK_BENCH_DIR=/tmp/subs go test -run '^$' -bench Batch -benchmem \
//	    -cpuprofile cpu.prof -memprofile mem.prof ./evaluator/batch/
func BenchmarkBatch(b *testing.B) {
	inputs := benchInputs(b)
	eng := testEngine(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		out := b.TempDir()
		sum, err := summary.Create(out, eng.Lang())
		if err != nil {
			b.Fatal(err)
		}
		st, err := Run(ctx, eng, inputs, Options{OutDir: out}, func(item Item) error {
			for _, row := range item.Rows {
				if err := sum.Add(row); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil || st.Code >= CodeInput {
			b.Fatalf("batch: code %d, %v", st.Code, err)
		}
		if err := sum.Close(summary.Status{Inputs: st.Done, Total: st.Inputs}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(inputs)), "µs/submission")
}

func benchInputs(b *testing.B) []string {
	dir := os.Getenv("BUDGETCHECK_BENCH_DIR")
	if dir == "" {
		files, _ := filepath.Glob("../../fixtures/*/submission.yaml")
		return files
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if len(files) == 0 {
		b.Fatalf("no submission in BUDGETCHECK_BENCH_DIR=%s", dir)
	}
	return files[:min(len(files), 500)]
}
