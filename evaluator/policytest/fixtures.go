package policytest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/budgetcheck/budgetcheck/evaluator"
	"github.com/budgetcheck/budgetcheck/evaluator/expect"
	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

// Fixture names of a regression case: a submission and, beside it, the
// subset of its result document that is expected, and optionally data
// deep-merged over the ruleset's for this case only (as --data does).
const (
	FixtureSubmission = "submission.yaml"
	FixtureExpected   = "expected.json"
	FixtureData       = "data.yaml"
)

// Case is the outcome of one fixture.
type Case struct {
	Submission string        `json:"submission"`
	Expected   string        `json:"expected"`
	Diffs      []expect.Diff `json:"diffs,omitempty"`
	// Error is set when the case could not be evaluated or compared.
	Error string `json:"error,omitempty"`
	// Skipped says why the case was not run: its submission calls for
	// another procedure than the ruleset's (evaluator.Procedure).
	Skipped string `json:"skipped,omitempty"`
}

// Pass reports whether the result matched what was expected.
func (c Case) Pass() bool { return c.Error == "" && len(c.Diffs) == 0 }

// FindFixtures lists every submission.yaml under root that has an
// expected.json beside it, sorted. A missing root has none.
func FindFixtures(root string) ([]string, error) {
	var found []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == root {
				return fs.SkipAll
			}
			return err
		}
		if d.IsDir() || d.Name() != FixtureSubmission {
			return nil
		}
		if _, err := os.Stat(filepath.Join(filepath.Dir(p), FixtureExpected)); err == nil {
			found = append(found, p)
		}
		return nil
	})
	sort.Strings(found)
	return found, err
}

// RunFixtures evaluates each submission with the engine (its query prepared
// once) and compares the JSON of its result document with expected.json,
// field by field.
func RunFixtures(ctx context.Context, engine *evaluator.Engine, submissions []string) []Case {
	cases := make([]Case, 0, len(submissions))
	for _, file := range submissions {
		c := Case{Submission: file, Expected: filepath.Join(filepath.Dir(file), FixtureExpected)}
		if sub, err := submission.Load(file, submission.Options{}); err == nil {
			if p, want := evaluator.Procedure(sub), evaluator.ProcedureOf(engine.Ruleset()); p != want {
				c.Skipped = fmt.Sprintf("a %s submission; the ruleset does %s", p, want)
				cases = append(cases, c)
				continue
			}
		}
		c.Diffs, c.Error = runFixture(ctx, engine, file, c.Expected)
		cases = append(cases, c)
	}
	return cases
}

func runFixture(ctx context.Context, engine *evaluator.Engine, file, expectedFile string) ([]expect.Diff, string) {
	want, err := os.ReadFile(expectedFile)
	if err != nil {
		return nil, err.Error()
	}
	var got any
	engine, err = withData(ctx, engine, filepath.Join(filepath.Dir(file), FixtureData))
	var bad ruleset.DataErrors
	if errors.As(err, &bad) {
		// A case may expect the data to be refused: compare the errors document.
		got = &result.Document{Schema: result.Schema, File: file, Errors: dataProblems(bad)}
		err = nil
	} else if err == nil {
		var sub *submission.Submission
		if sub, err = submission.Load(file, submission.Options{}); err == nil {
			got, err = engine.Evaluate(ctx, sub)
		}
	}
	var problems submission.Problems
	switch {
	case errors.As(err, &problems):
		// A case may expect the load to fail: compare the errors document.
		got = &result.Document{Schema: result.Schema, File: file, Errors: problems}
	case err != nil:
		return nil, err.Error()
	}
	actual, err := json.Marshal(got)
	if err != nil {
		return nil, err.Error()
	}
	diffs, err := expect.Compare(want, actual)
	if err != nil {
		return nil, expectedFile + ": " + err.Error()
	}
	return diffs, ""
}

// withData returns an engine for the ruleset with the data file merged over
// its data, or engine itself when there is no such file.
func withData(ctx context.Context, engine *evaluator.Engine, data string) (*evaluator.Engine, error) {
	if _, err := os.Stat(data); err != nil {
		return engine, nil
	}
	dir, name := filepath.Split(data)
	rs, err := engine.Ruleset().WithData(ruleset.Source{FS: os.DirFS(dir), Dir: name, Display: data})
	if err != nil {
		return nil, err
	}
	return evaluator.New(ctx, rs, engine.Options())
}

// dataProblems are the data's errors as the problems of an errors document.
func dataProblems(errs ruleset.DataErrors) submission.Problems {
	out := make(submission.Problems, len(errs))
	for i, e := range errs {
		out[i] = submission.Problem{Code: ruleset.CodeInvalidData, Path: e.Path, Pos: submission.Pos{File: e.File, Line: e.Line}, Message: e.In(ruleset.LangEn), Zh: e.In(ruleset.LangZh)}
	}
	return out
}
