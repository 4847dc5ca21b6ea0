package impact

import (
	"context"
	"errors"
	"fmt"

	"github.com/budgetcheck/budgetcheck/evaluator/batch"
	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

// Evaluator evaluates one submission under one ruleset: an
// *evaluator.Engine, or whatever chooses an engine for the submission.
// It must be safe for concurrent use.
type Evaluator interface {
	Evaluate(ctx context.Context, sub *submission.Submission) (*result.Document, error)
}

// Options tune Run.
type Options struct {
	// Workers evaluating in parallel (0: one per CPU); each evaluates its
	// submission under both rulesets.
	Workers int
	// Load reads the inputs as a batch does (MaxBytes, workbooks); its
	// other fields are not used.
	Load batch.Options
	// Lang is the language of the input problems' texts (zh or en).
	Lang string
	// Progress, when set, is called after each input with the number done.
	Progress func(done int)
}

// Run evaluates every input under base and next and adds up what changed.
// Each input is read once and its submissions evaluated twice, in the same
// pool of workers; the report is the same whatever the number of workers.
// When ctx is cancelled the inputs in flight finish and the report is marked
// partial.
func Run(ctx context.Context, base, next Evaluator, inputs []string, tally *Tally, opts Options) (*Report, error) {
	evalCtx := context.WithoutCancel(ctx) // evaluations started run to their end
	done, err := batch.Ordered(ctx, len(inputs), opts.Workers, func(i int) []Project {
		return compareInput(evalCtx, base, next, inputs[i], opts)
	}, func(i int, ps []Project) error {
		tally.Input()
		for _, p := range ps {
			tally.Add(p)
		}
		if opts.Progress != nil {
			opts.Progress(i + 1)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return tally.Report(done < len(inputs)), nil
}

// compareInput reads one input file and compares each of its submissions.
func compareInput(ctx context.Context, base, next Evaluator, path string, opts Options) (ps []Project) {
	defer func() {
		// A fault on one file is that file's 无法评估, as in batch: the run goes on.
		if v := recover(); v != nil {
			doc := errorDocument(path, fmt.Errorf("internal error on this file: %v", v), opts.Lang)
			ps = []Project{Compare(doc, doc)}
			ps[0].File = path
		}
	}()
	projects, err := batch.Load(path, opts.Load)
	if err != nil {
		doc := errorDocument(path, err, opts.Lang)
		return []Project{Compare(doc, doc)}
	}
	ps = make([]Project, len(projects))
	for i, p := range projects {
		if p.Submission == nil { // a workbook's project that cannot be read
			doc := errorDocument(path, p.Problems, opts.Lang)
			ps[i] = Compare(doc, doc)
			ps[i].Name = p.Name
		} else {
			ps[i] = Compare(evaluate(ctx, base, p.Submission, opts.Lang), evaluate(ctx, next, p.Submission, opts.Lang))
		}
		ps[i].File, ps[i].Sheet = path, p.Sheet
		if len(projects) > 1 {
			ps[i].Index = i + 1
		}
	}
	return ps
}

func evaluate(ctx context.Context, e Evaluator, sub *submission.Submission, lang string) *result.Document {
	doc, err := e.Evaluate(ctx, sub)
	if err != nil {
		return errorDocument(sub.File, err, lang)
	}
	return doc
}

// errorDocument is the result of a submission that could not be read or
// evaluated, as batch reports it.
func errorDocument(file string, err error, lang string) *result.Document {
	doc := &result.Document{Schema: result.Schema, File: file}
	var problems submission.Problems
	if errors.As(err, &problems) {
		doc.Errors = problems.In(lang)
		return doc
	}
	doc.Errors = submission.Problems{{Code: "evaluation_error", Pos: submission.Pos{File: file}, Message: err.Error()}}
	return doc
}
