package batch

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

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
	// projects: each is a row of its own, and one that cannot be read is an
	// error row that does not take the others down. Without them a workbook
	// input becomes an error row.
	IsWorkbook   func(path string) bool
	LoadWorkbook func(path string) ([]Project, error)
	// ImportTitle names an import warning's code in the language of the
	// run, for 问题清单 (nil: the code itself).
	ImportTitle func(code string) string
	// Progress, when set, is called after each input with the number done.
	Progress func(done int)
}

// Evaluator judges one submission: an *evaluator.Engine, or the
// *evaluator.Engines that choose one per submission by its procedure.
type Evaluator interface {
	Evaluate(ctx context.Context, sub *submission.Submission) (*result.Document, error)
	Lang() string
}

// Project is one project of a workbook as the importer read it: its
// submission, or the problems that kept it from loading; its import
// warnings either way.
type Project struct {
	Sheet      string
	Name, Code string                 // 项目名称 and 项目编码 as read, for the row of one that cannot be read
	Submission *submission.Submission // nil when Problems is not empty
	Problems   submission.Problems
	Warnings   submission.Problems
}

// Item is what one input file gave: a row per submission it holds.
type Item struct {
	Input string
	Rows  []summary.Row
	// Docs are the result documents behind Rows, in the same order, for
	// consumers that need more than a summary row (annotated workbooks).
	Docs []*result.Document
	Code int
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
func Run(ctx context.Context, eng Evaluator, inputs []string, opts Options, sink func(Item) error) (Stats, error) {
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
	eng  Evaluator
	opts Options
	mu   sync.Mutex
	dirs map[string]bool // folders of result documents already made
}

// input loads and evaluates the submissions of one file. A fault on one
// file becomes its error row: the batch goes on and writes its summary.
func (r *runner) input(ctx context.Context, path string) (item Item) {
	defer func() {
		if v := recover(); v != nil {
			doc, code := errorDocument(path, r.eng.Lang(), fmt.Errorf("internal error on this file: %v", v))
			item = Item{Input: path}
			item.add(nil, doc, code, Project{}, nil, r.eng.Lang())
		}
	}()
	item = Item{Input: path}
	projects, err := Load(path, r.opts)
	lang := r.eng.Lang()
	if err != nil {
		doc, code := errorDocument(path, lang, err)
		item.add(r.write(path, 0, 1, doc), doc, code, Project{}, r.opts.ImportTitle, lang)
		return item
	}
	for i, p := range projects {
		var doc *result.Document
		code := CodeOK
		if p.Submission == nil {
			doc, code = errorDocument(path, lang, p.Problems)
		} else {
			var err error
			doc, err = r.eng.Evaluate(ctx, p.Submission)
			switch {
			case err != nil:
				doc, code = errorDocument(p.Submission.File, lang, err)
			case doc.Failed():
				code = CodeFail
			}
		}
		item.add(r.write(path, i, len(projects), doc), doc, code, p, r.opts.ImportTitle, lang)
	}
	return item
}

// Load reads the projects of one input file: the submission of a YAML or
// JSON file, every project of a workbook (a project that cannot be read
// carries its problems). A file that cannot be read at all, or that holds no
// project, gives submission.Problems.
func Load(path string, opts Options) ([]Project, error) {
	var projects []Project
	var err error
	switch {
	case opts.IsWorkbook != nil && opts.IsWorkbook(path):
		if opts.LoadWorkbook == nil {
			err = submission.Problems{{Code: submission.CodeRead, Pos: submission.Pos{File: path}, Message: "Excel workbooks are not supported by this build", Zh: "此版本不支持 Excel 工作簿"}}
		} else {
			projects, err = opts.LoadWorkbook(path)
		}
	case !IsSubmission(path):
		err = submission.Problems{{Code: submission.CodeRead, Pos: submission.Pos{File: path}, Message: "not a submission: expected a .yaml, .yml or .json file", Zh: "不是申报文件：应为 .yaml、.yml 或 .json 文件"}}
	default:
		var sub *submission.Submission
		if sub, err = submission.Load(path, submission.Options{MaxBytes: opts.MaxBytes}); err == nil {
			projects = []Project{{Submission: sub}}
		}
	}
	if err == nil && len(projects) == 0 {
		err = submission.Problems{{Code: submission.CodeEmpty, Pos: submission.Pos{File: path}, Message: "the file holds no submission", Zh: "文件中没有申报内容"}}
	}
	return projects, err
}

func (it *Item) add(werr error, doc *result.Document, code int, p Project, title func(string) string, lang string) {
	row := summary.FromDocument(doc)
	row.Sheet = p.Sheet
	if row.Project == "" && row.Code == "" {
		row.Project, row.Code = p.Name, p.Code
	}
	if title == nil {
		title = func(code string) string { return code }
	}
	row.AddImportWarnings(p.Warnings, lang, title)
	if werr != nil {
		// The result could not be saved: report it on the row and fail the run.
		row.Error = werr.Error()
		row.Score = nil
		code = max(code, CodeInternal)
	}
	it.Rows = append(it.Rows, row)
	it.Docs = append(it.Docs, doc)
	it.Code = max(it.Code, code)
}

// errorDocument is the result document of a submission that could not be
// read (code 2) or evaluated (code 3), as `check` writes it.
func errorDocument(file, lang string, err error) (*result.Document, int) {
	doc := &result.Document{Schema: result.Schema, File: file, Lang: lang}
	var problems submission.Problems
	if errors.As(err, &problems) {
		doc.Errors = problems.In(lang)
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
