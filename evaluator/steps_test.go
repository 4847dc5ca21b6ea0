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

var updateSteps = flag.Bool("update-steps", false, "write the evaluation step and allocation counts to testdata/steps.json")

// stepsFile holds, per fixture, how many expressions OPA evaluated for it
// and how many allocations one evaluation made when the counts were last
// committed.
const stepsFile = "testdata/steps.json"

// cost is a fixture's committed counts.
type cost struct {
	Steps       int `json:"steps"`
	Allocations int `json:"allocations"`
}

// TestEvaluationSteps guards against the policies becoming slower: it counts
// the expressions OPA evaluates on each fixture, with the engine of the
// procedure the fixture calls for, and the allocations of one evaluation
// (counts, not times, so it does not flake on a busy machine). It fails
// when the steps grow by more than 20 % or the allocations by more than
// 10 % over the committed counts. Both are needed: a reference to a partial
// rule inside a loop costs allocations, not steps (the third round's
// change cut the seed's allocations by 27 % and its steps by 5 %). After a
// change that costs more on purpose, or one that saves, commit the new
// counts:
//
//	go test ./evaluator/ -run EvaluationSteps -update-steps
func TestEvaluationSteps(t *testing.T) {
	files, _ := filepath.Glob("../fixtures/*/submission.yaml")
	if len(files) == 0 {
		t.Fatal("no fixture")
	}
	committed := map[string]cost{}
	if bs, err := os.ReadFile(stepsFile); err == nil {
		if err := json.Unmarshal(bs, &committed); err != nil && !*updateSteps {
			t.Fatalf("%s: %v", stepsFile, err)
		}
	}
	counted := map[string]cost{}
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
		allocs := int(testing.AllocsPerRun(3, func() {
			if _, err := eng.Evaluate(context.Background(), sub); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
		}))
		got := cost{Steps: n, Allocations: allocs}
		counted[name] = got
		want, ok := committed[name]
		t.Logf("%s: %d evaluation steps, %d allocations (committed: %d, %d)", name, got.Steps, got.Allocations, want.Steps, want.Allocations)
		if *updateSteps {
			continue
		}
		if !ok {
			t.Logf("%s: no committed counts (run with -update-steps)", name)
			continue
		}
		check(t, name, "evaluation steps", got.Steps, want.Steps, 20)
		check(t, name, "allocations", got.Allocations, want.Allocations, 10)
	}
	if *updateSteps {
		bs, _ := json.MarshalIndent(counted, "", "  ")
		if err := os.WriteFile(stepsFile, append(bs, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// check fails when got grows more than limit % over the committed want, and
// says to commit a count that fell by as much.
func check(t *testing.T, name, what string, got, want, limit int) {
	t.Helper()
	change := 100 * float64(got-want) / float64(max(want, 1))
	switch {
	case got*100 > want*(100+limit):
		t.Errorf("%s: %d %s, %d committed: %+.0f%% (more than %d%%); see README, Performance", name, got, what, want, change, limit)
	case got*100 < want*(100-limit):
		t.Logf("%s: %d %s, %d committed: %+.0f%%; commit the lower count with -update-steps", name, got, what, want, change)
	}
}
