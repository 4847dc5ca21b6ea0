package batch

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/budgetcheck/budgetcheck/evaluator"
	"github.com/budgetcheck/budgetcheck/evaluator/output"
	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
	"github.com/budgetcheck/budgetcheck/evaluator/summary"
)

// Exit codes an input contributes; the batch's is the largest.
const (
	CodeOK       = 0 // every submission passed
	CodeFail     = 1 // a submission failed the policy
	CodeInput    = 2 // a file could not be read
	CodeInternal = 3 // a policy failed at run time
)

// ResultsDir is the folder under the output directory that holds one result
// document per submission.
const ResultsDir = "results"

// Options tune Run.
type Options struct {
	// Workers evaluating in parallel (0 means the number of CPUs).
	Workers int
	// OutDir receives one result document per submission under ResultsDir;
	// "" writes none.
	OutDir string
	// MaxBytes refuses larger submission files (0: submission.DefaultMaxBytes).
	MaxBytes int64
	// IsWorkbook and LoadWorkbook read Excel workbooks, which may hold many
	// submissions. Without them a workbook input becomes an error row.
	IsWorkbook   func(path string) bool
	LoadWorkbook func(path string) ([]*submission.Submission, error)
	// Progress, when set, is called after each input with the number done.
	Progress func(done int)
}

// Item is what one input file gave: a row per submission it holds.
type Item struct {
	Input string
	Rows  []summary.Row
	Code  int
}

// Stats tell how the run went.
type Stats struct {
	Inputs      int  // input files
	Done        int  // input files processed (all of them unless interrupted)
	Submissions int  // submissions evaluated or reported as errors
	Interrupted bool // ctx was cancelled before every input was dispatched
	Code        int  // the largest of the items' codes
}

// Run evaluates every input with the engine, on opts.Workers goroutines, and
// hands the items to sink one at a time in the order of inputs (so the
// output does not depend on the number of workers). At most a few items per
// worker are held at once. When ctx is cancelled no new input is started;
// those in flight finish and reach the sink, and Stats.Interrupted is set.
func Run(ctx context.Context, eng *evaluator.Engine, inputs []string, opts Options, sink func(Item) error) (Stats, error) {
	st := Stats{Inputs: len(inputs)}
	// Evaluations already started run to their end even when ctx is cancelled.
	evalCtx := context.WithoutCancel(ctx)
	r := &runner{eng: eng, opts: opts, dirs: map[string]bool{}}
	_, err := Ordered(ctx, len(inputs), opts.Workers, func(i int) Item {
		return r.input(evalCtx, inputs[i])
	}, func(_ int, item Item) error {
		if err := sink(item); err != nil {
			return err
		}
		st.Submissions += len(item.Rows)
		st.Code = max(st.Code, item.Code)
		st.Done++
		if opts.Progress != nil {
			opts.Progress(st.Done)
		}
		return nil
	})
	st.Interrupted = st.Done < st.Inputs && ctx.Err() != nil
	return st, err
}

type runner struct {
	eng  *evaluator.Engine
	opts Options
	mu   sync.Mutex
	dirs map[string]bool // folders of result documents already made
}

// input loads and evaluates the submissions of one file.
func (r *runner) input(ctx context.Context, path string) Item {
	item := Item{Input: path}
	subs, err := Load(path, r.opts)
	if err != nil {
		doc, code := errorDocument(path, r.eng.Lang(), err)
		item.add(r.write(path, 0, 1, doc), doc, code)
		return item
	}
	for i, sub := range subs {
		doc, err := r.eng.Evaluate(ctx, sub)
		code := CodeOK
		switch {
		case err != nil:
			doc, code = errorDocument(sub.File, r.eng.Lang(), err)
		case doc.Failed():
			code = CodeFail
		}
		item.add(r.write(path, i, len(subs), doc), doc, code)
	}
	return item
}

// Load reads the submissions of one input file: one for a YAML or JSON file,
// every project of a workbook. A file that cannot be read, or that holds no
// submission, gives submission.Problems.
func Load(path string, opts Options) ([]*submission.Submission, error) {
	var subs []*submission.Submission
	var err error
	switch {
	case opts.IsWorkbook != nil && opts.IsWorkbook(path):
		if opts.LoadWorkbook == nil {
			err = submission.Problems{{Code: submission.CodeRead, Pos: submission.Pos{File: path}, Message: "Excel workbooks are not supported by this build"}}
		} else {
			subs, err = opts.LoadWorkbook(path)
		}
	case !IsSubmission(path):
		err = submission.Problems{{Code: submission.CodeRead, Pos: submission.Pos{File: path}, Message: "not a submission: expected a .yaml, .yml or .json file"}}
	default:
		var sub *submission.Submission
		if sub, err = submission.Load(path, submission.Options{MaxBytes: opts.MaxBytes}); err == nil {
			subs = []*submission.Submission{sub}
		}
	}
	if err == nil && len(subs) == 0 {
		err = submission.Problems{{Code: submission.CodeEmpty, Pos: submission.Pos{File: path}, Message: "the file holds no submission"}}
	}
	return subs, err
}

func (it *Item) add(werr error, doc *result.Document, code int) {
	row := summary.FromDocument(doc)
	if werr != nil {
		// The result could not be saved: report it on the row and fail the run.
		row.Error = werr.Error()
		row.Score = nil
		code = max(code, CodeInternal)
	}
	it.Rows = append(it.Rows, row)
	it.Code = max(it.Code, code)
}

// errorDocument is the result document of a submission that could not be
// read (code 2) or evaluated (code 3), as `check` writes it.
func errorDocument(file, lang string, err error) (*result.Document, int) {
	doc := &result.Document{Schema: result.Schema, File: file, Lang: lang}
	var problems submission.Problems
	if errors.As(err, &problems) {
		doc.Errors = problems
		return doc, CodeInput
	}
	doc.Errors = submission.Problems{{Code: "evaluation_error", Pos: submission.Pos{File: file}, Message: err.Error()}}
	return doc, CodeInternal
}

// write saves the result document of the idx-th of n submissions of input.
func (r *runner) write(input string, idx, n int, doc *result.Document) error {
	if r.opts.OutDir == "" {
		return nil
	}
	path := ResultPath(filepath.Join(r.opts.OutDir, ResultsDir), input, idx, n)
	dir := filepath.Dir(path)
	r.mu.Lock()
	made := r.dirs[dir]
	r.mu.Unlock()
	if !made {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("write result: %w", err)
		}
		r.mu.Lock()
		r.dirs[dir] = true
		r.mu.Unlock()
	}
	return output.WriteFile(path, func(w *bufio.Writer) error {
		return output.JSON{}.Write(w, []*result.Document{doc})
	})
}
