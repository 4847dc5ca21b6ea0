package evaluator_test

import (
	"context"
	"io/fs"
	"path/filepath"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/shopspring/decimal"

	"github.com/budgetcheck/budgetcheck/evaluator"
	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
	"github.com/budgetcheck/budgetcheck/evaluator/schedule"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
	"github.com/budgetcheck/budgetcheck/evaluator/xlsximport"
)

// Every fixture that loads reconciles: recommended = Σ lines, change =
// recommended − requested, no line below zero, the findings' adjustments
// add up to the lines' changes, the schedule's fiscal year equals the
// recommended budget or its notes explain the difference. The generated
// submissions are checked in fixtures/gen.
func TestEveryFixtureReconciles(t *testing.T) {
	var files []string
	err := filepath.WalkDir("../fixtures", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && d.Name() == "submission.yaml" {
			files = append(files, p)
		}
		return err
	})
	if err != nil || len(files) < 10 {
		t.Fatalf("found %d fixtures (%v)", len(files), err)
	}
	e := scheduleEngine(t)
	for _, file := range files {
		sub, err := submission.Load(file, submission.Options{})
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		doc, err := e.Evaluate(context.Background(), sub)
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		for _, bad := range evaluator.Reconcile(doc) {
			t.Errorf("%s: %s", file, bad)
		}
	}
	// and every project of the workbook fixtures
	books, _ := filepath.Glob("../fixtures/xlsx/*.xlsx")
	for _, book := range books {
		wb, err := xlsximport.Import(book, xlsximport.Options{})
		if err != nil {
			t.Errorf("%s: %v", book, err)
			continue
		}
		for _, p := range wb.Projects {
			doc, err := e.Evaluate(context.Background(), p.Submission)
			if err != nil {
				t.Errorf("%s %s: %v", book, p.Name(), err)
				continue
			}
			for _, bad := range evaluator.Reconcile(doc) {
				t.Errorf("%s %s: %s", book, p.Name(), bad)
			}
		}
	}
}

// Reconcile notices each way a document can fail to reconcile: the
// figures the issue found before the budget was built from its lines.
func TestReconcileNoticesEachBreak(t *testing.T) {
	cases := []struct {
		name  string
		spoil func(d *result.Document)
		want  string
	}{
		{"total not the sum of the lines", func(d *result.Document) {
			d.Budget.Recommended = d.Budget.Recommended.Add(decimal.NewFromInt(9))
			d.Budget.Change = d.Budget.Recommended.Sub(d.Budget.Requested)
		}, "recommended 231.445 ≠ the sum of the recommended lines 222.445"},
		{"change not recommended − requested", func(d *result.Document) {
			d.Budget.Requested = decimal.NewFromInt(10)
		}, "change -33.759 ≠ recommended 222.445 − requested 10"},
		{"a line below zero", func(d *result.Document) {
			d.Budget.Lines[0].Recommended = decimal.NewFromInt(-10)
			d.Budget.Lines[0].Change = decimal.NewFromInt(-100).Sub(decimal.RequireFromString("0.4"))
			d.Budget.Lines[1].Recommended = d.Budget.Lines[1].Recommended.Add(decimal.NewFromInt(80).Add(decimal.RequireFromString("0.4")))
		}, "line L1: requested 90.4, recommended -10: below zero"},
		{"an adjustment that is not in the lines", func(d *result.Document) {
			d.Findings[len(d.Findings)-1].Adjustments = append(d.Findings[len(d.Findings)-1].Adjustments, result.Adjustment{Line: "L2", Amount: decimal.NewFromInt(1)})
		}, "line L2: the findings adjust it by 1 but its change is 0"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := evaluate(t, scheduleEngine(t), seed)
			if bad := evaluator.Reconcile(d); len(bad) > 0 {
				t.Fatalf("the seed does not reconcile: %v", bad)
			}
			tc.spoil(d)
			bad := evaluator.Reconcile(d)
			if !slices.Contains(bad, tc.want) {
				t.Errorf("got %q, want %q among them", bad, tc.want)
			}
		})
	}
}

// A schedule whose fiscal year differs from the recommended budget
// reconciles only through notes that explain the whole difference.
func TestReconcileScheduleDifferenceExplained(t *testing.T) {
	d := evaluate(t, scheduleEngine(t), seed)
	d.Schedule.Rows[1].Recommended["2021"] = decimal.NewFromInt(30) // C2 pays 30, its line recommends 31.96
	if bad := evaluator.Reconcile(d); len(bad) > 0 {
		t.Fatalf("an explained difference: %v", bad)
	}
	tab, err := schedule.Build(d, schedule.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var explained []string
	for _, n := range tab.Notes {
		if n.Difference != nil {
			explained = append(explained, n.Difference.String()+" "+n.Text)
		}
	}
	if tab.Reconciled || !slices.Equal(explained, []string{"-1.96 C2 2021年付款 30 与其预算行建议数 31.96 不一致，相差 -1.96"}) {
		t.Errorf("reconciled %v, notes %q", tab.Reconciled, explained)
	}
}

// A project with no performance targets is not supported because a band of
// the data says so, whatever its score: without that band the same bands
// would support it.
func TestNoTargetsBandRejects(t *testing.T) {
	noTargets := "../fixtures/no-targets/submission.yaml"
	for _, tc := range []struct{ bands, want string }{
		{"[{code: reject, no_targets: true}, {code: support}]", result.Reject},
		{"[{code: support}]", result.Support},
	} {
		override := fstest.MapFS{"bands.yaml": {Data: []byte("params:\n  conclusion:\n    bands: " + tc.bands + "\n")}}
		e, err := newEngine([]ruleset.Source{{FS: override, Dir: "bands.yaml", Display: "bands.yaml"}})
		if err != nil {
			t.Fatal(err)
		}
		if got := evaluate(t, e, noTargets).Conclusion.Code; got != tc.want {
			t.Errorf("bands %s: %s, want %s", tc.bands, got, tc.want)
		}
		if got := evaluate(t, e, seed).Conclusion.Code; got != result.Support {
			t.Errorf("bands %s: the seed (with targets) is %s, want support", tc.bands, got)
		}
	}
}
