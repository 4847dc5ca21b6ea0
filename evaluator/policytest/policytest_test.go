package policytest_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/budgetcheck/budgetcheck/evaluator"
	"github.com/budgetcheck/budgetcheck/evaluator/policytest"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
	"github.com/budgetcheck/budgetcheck/policies"
)

func embedded(t *testing.T) *ruleset.Ruleset {
	t.Helper()
	rs, err := ruleset.Load([]ruleset.Source{policies.Source(policies.Default)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func TestRunFilterAndCoverage(t *testing.T) {
	rs := embedded(t)
	report, err := policytest.Run(context.Background(), rs, policytest.Options{Run: "test_prepaid_maintenance_", Coverage: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(report.Tests) != 5 || len(report.Failed()) != 0 {
		t.Fatalf("want the 5 PREPAID_MAINTENANCE tests passing, got %+v", report.Tests)
	}
	for _, tc := range report.Tests {
		if !strings.HasPrefix(tc.Name, "test_prepaid_maintenance_") || tc.Outcome() != "PASS" || !strings.Contains(tc.Location, "contracts_test.rego:") {
			t.Errorf("test %+v", tc)
		}
	}
	var contracts *policytest.FileCoverage
	for i, f := range report.Coverage {
		if strings.HasSuffix(f.File, "_test.rego") {
			t.Errorf("coverage lists a test module: %s", f.File)
		}
		if f.File == "embedded:chengdu/findings/contracts.rego" {
			contracts = &report.Coverage[i]
		}
	}
	if contracts == nil || contracts.Covered == 0 || contracts.Percent >= 100 {
		t.Errorf("a filtered run covers part of contracts.rego: %+v", contracts)
	}
	if report.Percent <= 0 || report.Percent >= 100 {
		t.Errorf("total coverage %v", report.Percent)
	}
}

func TestRunBadFilter(t *testing.T) {
	if _, err := policytest.Run(context.Background(), embedded(t), policytest.Options{Run: "("}); err == nil {
		t.Fatal("a bad --run is an error")
	}
}

func TestRunReportsFailingTest(t *testing.T) {
	extra := fstest.MapFS{"x_test.rego": {Data: []byte("package budgetcheck.x_test\n\ntest_wrong if {\n\t1 == 2\n}\n")}}
	rs, err := ruleset.Load([]ruleset.Source{
		policies.Source(policies.Default),
		{FS: extra, Dir: ".", Display: "extra"},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	report, err := policytest.Run(context.Background(), rs, policytest.Options{Run: "x_test"})
	if err != nil {
		t.Fatal(err)
	}
	failed := report.Failed()
	if len(failed) != 1 || failed[0].FullName() != "data.budgetcheck.x_test.test_wrong" || failed[0].Outcome() != "FAIL" || failed[0].Location != "extra/x_test.rego:3" {
		t.Fatalf("failed: %+v", failed)
	}
	if failed[0].FailedAt != "extra/x_test.rego:4: 1 == 2" {
		t.Errorf("failed at %q", failed[0].FailedAt)
	}
}

func TestFixtures(t *testing.T) {
	files, err := policytest.FindFixtures("../../fixtures")
	if err != nil {
		t.Fatal(err)
	}
	seed := filepath.Join("../../fixtures", "qingbaijiang-2021", "submission.yaml")
	found := false
	for _, f := range files {
		found = found || f == seed
	}
	if !found {
		t.Fatalf("the seed is not among %v", files)
	}
	if none, err := policytest.FindFixtures("no-such-dir"); err != nil || len(none) != 0 {
		t.Errorf("a missing root: %v, %v", none, err)
	}
	engine, err := evaluator.New(context.Background(), embedded(t), evaluator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cases := policytest.RunFixtures(context.Background(), engine, []string{seed})
	if len(cases) != 1 || !cases[0].Pass() {
		t.Fatalf("the seed fixture: %+v", cases)
	}
}
