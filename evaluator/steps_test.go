package evaluator_test

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/budgetcheck/budgetcheck/evaluator"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
	"github.com/budgetcheck/budgetcheck/policies"
)

var (
	enginesOnce sync.Once
	embedded    *evaluator.Engines
	enginesErr  error
)

// engines returns the embedded rulesets' engines, each procedure's chosen
// by what a submission holds, as the commands choose them.
func engines(t testing.TB) *evaluator.Engines {
	t.Helper()
	enginesOnce.Do(func() {
		var sets []*ruleset.Ruleset
		for _, dir := range policies.Rulesets {
			rs, err := ruleset.Load([]ruleset.Source{policies.Source(dir)}, nil)
			if err != nil {
				enginesErr = err
				return
			}
			sets = append(sets, rs)
		}
		embedded, enginesErr = evaluator.NewEngines(sets, evaluator.Options{})
	})
	if enginesErr != nil {
		t.Fatal(enginesErr)
	}
	return embedded
}

var updateSteps = flag.Bool("update-steps", false, "write the evaluation step counts to testdata/steps.json")

// stepsFile holds, per fixture, how many expressions OPA evaluated for it
// when the count was last committed.
const stepsFile = "testdata/steps.json"

// TestEvaluationSteps guards against the policies becoming slower: it counts
// the expressions OPA evaluates on each fixture, with the engine of the
// procedure the fixture calls for (counts, not times, so it
// does not flake on a busy machine) and fails when one grows by more than
// 20 % over the committed count. After a change that costs more on purpose,
// or one that saves, commit the new counts:
//
//	go test ./evaluator/ -run EvaluationSteps -update-steps
func TestEvaluationSteps(t *testing.T) {
	files, _ := filepath.Glob("../fixtures/*/submission.yaml")
	if len(files) == 0 {
		t.Fatal("no fixture")
	}
	committed := map[string]int{}
	if bs, err := os.ReadFile(stepsFile); err == nil {
		if err := json.Unmarshal(bs, &committed); err != nil {
			t.Fatalf("%s: %v", stepsFile, err)
		}
	}
	counted := map[string]int{}
	for _, f := range files {
		name := filepath.Base(filepath.Dir(f))
		sub, err := submission.Load(f, submission.Options{})
		if err != nil {
			t.Fatalf("load %s: %v", f, err)
		}
		eng, err := engines(t).For(context.Background(), sub)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		n, err := evaluator.EvalSteps(eng, sub)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		counted[name] = n
		want, ok := committed[name]
		t.Logf("%s: %d evaluation steps (committed: %d)", name, n, want)
		switch {
		case *updateSteps:
		case !ok:
			t.Logf("%s: %d steps, no committed count (run with -update-steps)", name, n)
		case n > want*12/10:
			t.Errorf("%s: %d evaluation steps, %d committed: %+.0f%% (more than 20%%); see README, Performance", name, n, want, 100*float64(n-want)/float64(want))
		case n < want*8/10:
			t.Logf("%s: %d evaluation steps, %d committed: %+.0f%%; commit the lower count with -update-steps", name, n, want, 100*float64(n-want)/float64(want))
		}
	}
	if *updateSteps {
		bs, _ := json.MarshalIndent(counted, "", "  ")
		if err := os.WriteFile(stepsFile, append(bs, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
