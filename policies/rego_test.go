package policies_test

import (
	"context"
	"strings"
	"testing"

	"github.com/budgetcheck/budgetcheck/evaluator/policytest"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
	"github.com/budgetcheck/budgetcheck/policies"
)

func loadEmbedded(t *testing.T) *ruleset.Ruleset {
	t.Helper()
	return loadNamed(t, policies.Default)
}

func loadNamed(t *testing.T, dir string) *ruleset.Ruleset {
	t.Helper()
	rs, err := ruleset.Load([]ruleset.Source{policies.Source(dir)}, nil)
	if err != nil {
		t.Fatalf("load embedded ruleset %s: %v", dir, err)
	}
	return rs
}

// TestRego runs every *_test.rego of each embedded ruleset (its library's
// too), in the sandbox, against its data: `go test ./...` fails on any
// failing policy test.
func TestRego(t *testing.T) {
	for _, dir := range policies.Rulesets {
		t.Run(dir, func(t *testing.T) { testRego(t, loadNamed(t, dir)) })
	}
}

func testRego(t *testing.T, rs *ruleset.Ruleset) {
	if len(rs.TestModules) == 0 {
		t.Fatal("the embedded ruleset has no *_test.rego")
	}
	report, err := policytest.Run(context.Background(), rs, policytest.Options{Coverage: true})
	if err != nil {
		t.Fatalf("run Rego tests: %v", err)
	}
	if len(report.Tests) == 0 {
		t.Fatal("no Rego test ran")
	}
	for _, f := range report.Failed() {
		var msg strings.Builder
		msg.WriteString(f.FullName() + " " + f.Outcome() + " at " + f.Location)
		if f.Error != "" {
			msg.WriteString("\n  " + f.Error)
		}
		if f.FailedAt != "" {
			msg.WriteString("\n  failed at " + f.FailedAt)
		}
		if f.Output != "" {
			msg.WriteString("\n  " + f.Output)
		}
		t.Error(msg.String())
	}
	t.Logf("%d Rego tests, %d failed, coverage %.2f%%", len(report.Tests), len(report.Failed()), report.Percent)
	// .ci/run enforces the same threshold with budgetcheck policy test.
	if report.Percent < minCoverage {
		for _, f := range report.Coverage {
			t.Logf("%6.2f%% %s not covered: %v", f.Percent, f.File, f.Missed)
		}
		t.Errorf("the embedded ruleset's tests cover %.2f%% of its lines, below %v%%", report.Percent, minCoverage)
	}
}

// minCoverage is the least line coverage of the embedded ruleset's policies.
const minCoverage = 90.0
