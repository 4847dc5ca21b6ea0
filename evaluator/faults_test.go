package evaluator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/budgetcheck/budgetcheck/cmd/budgetcheck/commands"
	"github.com/budgetcheck/budgetcheck/evaluator"
	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
	"github.com/budgetcheck/budgetcheck/policies"
)

// faultEngine is the embedded ruleset plus the broken module of
// testdata/faults/<name>.
func faultEngine(t *testing.T, name string, timeout time.Duration) *evaluator.Engine {
	t.Helper()
	dir := "testdata/faults/" + name
	rs, err := ruleset.Load([]ruleset.Source{
		policies.Source(policies.Default),
		{FS: os.DirFS(dir), Dir: ".", Display: dir},
	}, nil)
	if err != nil {
		t.Fatalf("load %s: %v", dir, err)
	}
	e, err := evaluator.New(context.Background(), rs, evaluator.Options{Timeout: timeout})
	if err != nil {
		t.Fatalf("compile %s: %v", dir, err)
	}
	return e
}

// TestPolicyFaults evaluates the seed with rulesets that fail at run time:
// each failure is a PolicyError that names the rule, its file:line and what
// went wrong, and the engine still evaluates with the sound ruleset.
func TestPolicyFaults(t *testing.T) {
	sub, err := submission.Load(seed, submission.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, rule, at, code, says string
	}{
		{"conflict", "data.budgetcheck.findings.fault_level", "testdata/faults/conflict/faults.rego:22", "", "conflicting values"},
		{"timeout", "data.budgetcheck.findings.endless", "testdata/faults/timeout/faults.rego:16", "", "--timeout"},
		{"nocode", "data.budgetcheck.findings.findings", "testdata/faults/nocode/faults.rego:11", "", "no code"},
		{"floatfen", "data.budgetcheck.findings.findings", "testdata/faults/floatfen/faults.rego:11", "FAULT_FLOAT", "not a whole number of fen"},
		{"builtin", "data.budgetcheck.findings.findings", "testdata/faults/builtin/faults.rego:11", "", "divide by zero"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := faultEngine(t, c.name, 300*time.Millisecond)
			start := time.Now()
			doc, err := e.Evaluate(context.Background(), sub)
			var pe *evaluator.PolicyError
			if !errors.As(err, &pe) {
				t.Fatalf("Evaluate = %v, %v; want a PolicyError", doc, err)
			}
			if pe.File != seed || pe.Rule != c.rule || pe.At != c.at || pe.Code != c.code {
				t.Errorf("PolicyError{File %q, Rule %q, At %q, Code %q}, want {%q, %q, %q, %q}", pe.File, pe.Rule, pe.At, pe.Code, seed, c.rule, c.at, c.code)
			}
			msg := err.Error()
			for _, want := range []string{seed, c.rule, c.at, c.says} {
				if !strings.Contains(msg, want) {
					t.Errorf("the message does not say %q:\n%s", want, msg)
				}
			}
			if elapsed := time.Since(start); elapsed > 5*time.Second {
				t.Errorf("the failure took %v", elapsed)
			}
		})
	}
}

// TestPolicyFaultsCommands: check exits 3 and names the rule; batch fails
// only the submission the broken rule fails on and evaluates the others.
func TestPolicyFaultsCommands(t *testing.T) {
	policy := []string{"--policy", "../policies/chengdu", "--policy", "testdata/faults/nocode"}
	var stdout, stderr bytes.Buffer
	code := commands.Main(append(append([]string{"check", "--format", "json"}, policy...), seed), &stdout, &stderr)
	if code != commands.ExitInternal {
		t.Errorf("check: exit code %d, want %d", code, commands.ExitInternal)
	}
	var doc result.Document
	if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil {
		t.Fatalf("check: %v\n%s", err, stdout.String())
	}
	where := "testdata/faults/nocode/faults.rego:11"
	if len(doc.Errors) != 1 || doc.Errors[0].Code != "evaluation_error" || !strings.Contains(doc.Errors[0].Message, where) {
		t.Errorf("check: errors %+v, want one evaluation_error naming %s", doc.Errors, where)
	}
	if !strings.Contains(stderr.String(), "data.budgetcheck.findings.findings") || !strings.Contains(stderr.String(), where) {
		t.Errorf("check: stderr does not name the rule and %s:\n%s", where, stderr.String())
	}

	// targets-only has no contracts, so the broken rule emits nothing for it.
	out := t.TempDir()
	other := "../fixtures/targets-only/submission.yaml"
	stdout.Reset()
	stderr.Reset()
	code = commands.Main(append(append([]string{"batch", "--quiet", "--workers", "2", "--out", out}, policy...), seed, other), &stdout, &stderr)
	if code != commands.ExitInternal {
		t.Errorf("batch: exit code %d, want %d\n%s", code, commands.ExitInternal, stderr.String())
	}
	results := map[string]result.Document{}
	err := filepath.WalkDir(filepath.Join(out, "results"), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var doc result.Document
		if err := json.Unmarshal(data, &doc); err != nil {
			return err
		}
		results[doc.File] = doc
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if bad := results[seed]; len(bad.Errors) != 1 || !strings.Contains(bad.Errors[0].Message, where) {
		t.Errorf("batch: the seed's result %+v, want one error naming %s", bad.Errors, where)
	}
	if good := results[other]; len(good.Errors) != 0 || good.Score.Total.IsZero() {
		t.Errorf("batch: the other submission was not evaluated: %+v", good)
	}
}

// FuzzEvaluate runs whatever the loader accepts through the whole
// evaluation: it must give a result or an error, never a panic. (Not in
// .ci/run: an evaluation takes milliseconds; run it by hand.)
func FuzzEvaluate(f *testing.F) {
	for _, file := range append(fixtureSubmissionsF(f), "../fixtures/invalid/encoding-gbk.yaml") {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	e := engine(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		sub, err := submission.Parse("fuzz.yaml", data)
		if err != nil {
			return
		}
		doc, err := e.Evaluate(context.Background(), sub)
		if err == nil && doc == nil {
			t.Fatal("Evaluate returned neither a result nor an error")
		}
	})
}

func fixtureSubmissionsF(f *testing.F) []string {
	files, err := filepath.Glob("../fixtures/*/submission.yaml")
	if err != nil || len(files) == 0 {
		f.Fatalf("no fixtures: %v", err)
	}
	return files
}
