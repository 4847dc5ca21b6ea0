package evaluator_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/budgetcheck/budgetcheck/evaluator"
	"github.com/budgetcheck/budgetcheck/evaluator/policytest"
	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
	"github.com/budgetcheck/budgetcheck/policies"
)

const seed = "../fixtures/qingbaijiang-2021/submission.yaml"

var (
	defaultOnce   sync.Once
	defaultEngine *evaluator.Engine
	defaultErr    error
)

// engine returns the embedded ruleset's engine, prepared once for all tests.
func engine(t testing.TB) *evaluator.Engine {
	t.Helper()
	defaultOnce.Do(func() { defaultEngine, defaultErr = newEngine(nil) })
	if defaultErr != nil {
		t.Fatal(defaultErr)
	}
	return defaultEngine
}

func newEngine(overrides []ruleset.Source) (*evaluator.Engine, error) {
	rs, err := ruleset.Load([]ruleset.Source{policies.Source(policies.Default)}, overrides)
	if err != nil {
		return nil, err
	}
	return evaluator.New(context.Background(), rs, evaluator.Options{})
}

func evaluate(t *testing.T, e *evaluator.Engine, path string) *result.Document {
	t.Helper()
	sub, err := submission.Load(path, submission.Options{})
	if err != nil {
		t.Fatalf("load %s: %v", path, err)
	}
	doc, err := e.Evaluate(context.Background(), sub)
	if err != nil {
		t.Fatalf("evaluate %s: %v", path, err)
	}
	return doc
}

// TestSeedReproducesReport checks the numbers of the Qingbaijiang 2021 report
// (domain.md §2), recomputed exactly.
func TestSeedReproducesReport(t *testing.T) {
	doc := evaluate(t, engine(t), seed)

	if !doc.Basic.Passed {
		t.Errorf("basic assessment failed, want 通过: %+v", doc.Basic.Items)
	}
	wantPoints := map[string]string{
		"target.completeness": "6", "target.accuracy": "6", "target.quantified": "0", "target.values": "15",
		"feasibility.argumentation": "3", "feasibility.plan": "4", "feasibility.quality_control": "2",
		"economy.duplication": "3", "economy.costing": "15", "budget.matching": "0", "budget.accuracy": "0",
	}
	if len(doc.Indicators) != len(wantPoints) {
		t.Fatalf("got %d indicators, want %d", len(doc.Indicators), len(wantPoints))
	}
	for _, ind := range doc.Indicators {
		if !ind.Applicable || ind.Score == nil || ind.Score.String() != wantPoints[ind.Code] {
			t.Errorf("%s: applicable=%v score=%v, want %s", ind.Code, ind.Applicable, ind.Score, wantPoints[ind.Code])
		}
	}
	if got := [3]string{doc.Score.Earned.String(), doc.Score.Possible.String(), doc.Score.Total.String()}; got != [3]string{"54", "77", "70.13"} {
		t.Errorf("score %v, want 54/77 → 70.13", got)
	}
	if doc.Conclusion.Code != result.SupportAfterAdjustment || doc.Conclusion.Text != "调整后予以支持" {
		t.Errorf("conclusion %+v, want support_after_adjustment 调整后予以支持", doc.Conclusion)
	}
	b := doc.Budget
	if b.Requested.String() != "256.204" || b.Recommended.String() != "222.445" || b.Change.String() != "-33.759" {
		t.Errorf("budget %s → %s (%s), want 256.204 → 222.445 (-33.759)", b.Requested, b.Recommended, b.Change)
	}
	wantLines := map[string]string{"L1": "70.4", "L2": "31.96", "L3": "4.844", "L4": "53.8", "L5": "45.675", "contract:C3": "4.816", "contract:C4": "10.95"}
	for _, l := range b.Lines {
		if want, ok := wantLines[l.ID]; !ok || l.Recommended.String() != want {
			t.Errorf("line %s recommended %s, want %s", l.ID, l.Recommended, want)
		}
	}
	if len(b.Lines) != len(wantLines) {
		t.Errorf("%d lines, want %d", len(b.Lines), len(wantLines))
	}
	codes := map[string]bool{}
	for _, f := range doc.Findings {
		codes[f.Code] = true
	}
	for _, code := range []string{"PREPAID_MAINTENANCE", "CONTRACT_PAYMENT_UNBUDGETED", "BUDGET_CONTRACT_MISMATCH",
		"ASSESSMENT_CYCLE_UNPAYABLE", "ARREARS_UNBUDGETED", "CONTRACT_UNSIGNED", "COST_INCREASE_UNSUPPORTED",
		"TARGETS_INCOMPLETE", "QUALITY_INDICATOR_MISCLASSIFIED", "BENEFIT_NOT_QUANTIFIED"} {
		if !codes[code] {
			t.Errorf("finding %s missing", code)
		}
	}
}

// TestFixturesMatchExpected evaluates every fixture that has an expected.json
// beside it (with the data.yaml beside it, if any) and compares field by
// field, as policy test does.
func TestFixturesMatchExpected(t *testing.T) {
	files, err := policytest.FindFixtures("../fixtures")
	if err != nil || len(files) < 4 {
		t.Fatalf("found %d fixtures with expected.json (%v), want at least 4", len(files), err)
	}
	for _, c := range policytest.RunFixtures(context.Background(), scheduleEngine(t), files) {
		t.Run(filepath.Base(filepath.Dir(c.Submission)), func(t *testing.T) {
			if c.Error != "" {
				t.Fatal(c.Error)
			}
			for _, d := range c.Diffs {
				t.Error(d)
			}
		})
	}
}

// TestPaymentLagIsData changes the payment lag in the ruleset's data only:
// with no lag every cycle ending in 2021 is payable in 2021.
func TestPaymentLagIsData(t *testing.T) {
	override := fstest.MapFS{"lag.yaml": {Data: []byte("params:\n  payment:\n    lag_days: 0\n")}}
	e, err := newEngine([]ruleset.Source{{FS: override, Dir: "lag.yaml", Display: "lag.yaml"}})
	if err != nil {
		t.Fatal(err)
	}
	doc := evaluate(t, e, seed)
	for _, f := range doc.Findings {
		if f.Code == "ASSESSMENT_CYCLE_UNPAYABLE" {
			t.Errorf("with lag 0, %s still has unpayable cycles: %s", f.Subject, f.Message)
		}
	}
	lines := map[string]string{}
	for _, l := range doc.Budget.Lines {
		lines[l.ID] = l.Recommended.String()
	}
	// C7: 4 payable cycles (46.9) + 10.5 arrears; C6: 3 cycles (80.7).
	if lines["L5"] != "57.4" || lines["L4"] != "80.7" {
		t.Errorf("L5 %s, L4 %s; want 57.4 and 80.7", lines["L5"], lines["L4"])
	}
}

// TestEngineIsSafeForConcurrentUse shares one prepared query across goroutines.
func TestEngineIsSafeForConcurrentUse(t *testing.T) {
	e := engine(t)
	want, _ := json.Marshal(evaluate(t, e, seed))
	sub, err := submission.Load(seed, submission.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	results := make([][]byte, 8)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			doc, err := e.Evaluate(context.Background(), sub)
			if err == nil {
				results[i], _ = json.Marshal(doc)
			}
		}()
	}
	wg.Wait()
	for i, got := range results {
		if !slices.Equal(got, want) {
			t.Errorf("goroutine %d gave a different result", i)
		}
	}
}
