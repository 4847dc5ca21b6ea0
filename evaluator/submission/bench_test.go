package submission_test

import (
	"os"
	"testing"

	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

// BenchmarkParseSeed parses and validates the seed submission: YAML with
// the position of every fact.
//
//	go test -run '^$' -bench Parse -benchmem ./evaluator/submission/
func BenchmarkParseSeed(b *testing.B) {
	data, err := os.ReadFile("../../fixtures/qingbaijiang-2021/submission.yaml")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := submission.Parse("submission.yaml", data); err != nil {
			b.Fatal(err)
		}
	}
}
