package commands

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/budgetcheck/budgetcheck/evaluator"
	"github.com/budgetcheck/budgetcheck/evaluator/baseline"
	"github.com/budgetcheck/budgetcheck/evaluator/gate"
	"github.com/budgetcheck/budgetcheck/evaluator/output"
	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
	"github.com/budgetcheck/budgetcheck/evaluator/waiver"
)

type checkOptions struct {
	policyOptions
	explainOptions
	Formats          []string
	Outputs          []string
	MaxBytes         int64
	FailOn           []string
	MinScore         string
	FailOnConclusion string
	Waivers          string
	Baseline         string
	Date             string
	Config           string
	FiscalYear       int
}

// NewCheckCommand builds `budgetcheck check`.
func NewCheckCommand() *cobra.Command {
	var o checkOptions
	cmd := &cobra.Command{
		Use:   "check [FILE...]",
		Short: "Evaluate budget submissions and print the result",
		Long: `Evaluate each submission (YAML or JSON, schema budgetcheck/v1) and print the result. The
procedure is chosen by the input: a submission with targets or texts but no contracts and no
budget lines (a 申报表) gets the target review (绩效目标审核: grade 优/良/中/差 and numbered
审核意见); any other the pre-budget evaluation (basic assessment, indicator scores,
findings, recommended budget, conclusion). --ruleset NAME (chengdu, target-review) or
--policy DIR uses one ruleset for every submission. With no FILE, check the files listed by
the configuration file.

Formats: text, json, sarif, junit, github (workflow annotations), markdown (a PR comment).
--format and --output are repeatable and pair up in order: the n-th --output is the file of
the n-th --format ("-" is stdout); a format without an --output goes to stdout, and at most
one may. Files are written atomically.

Fail rules: --fail-on error (default) | warning | never, optionally with new
(--fail-on new, or --fail-on new,warning) to count only findings that are new against
--baseline; --min-score N fails a total below N; --fail-on-conclusion reject (default) |
adjust | never.

Waivers (the submission's waivers: section and --waivers FILE) excuse a finding: it is still
reported, marked waived, and does not fail the run. A waiver that has expired by --date
(default: today), has no reason, or names a code the ruleset does not declare is itself an
error finding (WAIVER_EXPIRED, WAIVER_WITHOUT_REASON, WAIVER_UNKNOWN_CODE).

Options may also come from .budgetcheck.yaml, found from the working directory upward
(or --config FILE); flags win.

Exit codes, the same in every format: 0 pass; 1 policy failure (by the fail rules);
2 bad input or usage; 3 internal error.`,
		Example: `  # the seed case, in Chinese on the terminal
  budgetcheck check fixtures/qingbaijiang-2021/submission.yaml

  # the result document for CI, in English
  budgetcheck check --format json --lang en submission.yaml > result.json

  # SARIF for code scanning and JUnit for the test report, text on stdout
  budgetcheck check -f sarif -o budgetcheck.sarif -f junit -o budgetcheck.xml -f text submission.yaml

  # a resubmission: fail only on findings that the previous result did not have
  budgetcheck check --baseline previous.json --fail-on new submission.yaml

  # a regional variant of the rules
  budgetcheck check --policy ./policies/chengdu --data district.yaml submission.yaml`,
		RunE: func(cmd *cobra.Command, args []string) error {
			files, err := applyConfig(cmd, &o, args)
			if err != nil {
				return exitCode(ExitInput, err)
			}
			return runCheck(cmd.Context(), o, files, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	o.addFlags(cmd)
	f := cmd.Flags()
	f.StringArrayVarP(&o.Formats, "format", "f", nil, "output format (repeatable): "+joinFormats()+" (default text)")
	f.StringArrayVarP(&o.Outputs, "output", "o", nil, "file for the format given in the same position (repeatable; - is stdout)")
	f.Int64Var(&o.MaxBytes, "max-bytes", submission.DefaultMaxBytes, "refuse submission files larger than this")
	f.StringArrayVar(&o.FailOn, "fail-on", nil, "findings that fail the run: error (default), warning or never; add new to count only findings new against --baseline")
	f.StringVar(&o.MinScore, "min-score", "", "fail when the total score is below this")
	f.StringVar(&o.FailOnConclusion, "fail-on-conclusion", gate.ConclusionReject, "conclusion that fails the run: reject, adjust (调整后予以支持 too) or never")
	f.StringVar(&o.Waivers, "waivers", "", "YAML file with a waivers: list, applied with the submission's own waivers")
	f.StringVar(&o.Baseline, "baseline", "", "earlier result document (--format json): mark findings new or unchanged and list the resolved ones")
	f.StringVar(&o.Date, "date", "", "evaluation date for waiver expiry, YYYY-MM-DD (default today)")
	f.StringVar(&o.Config, "config", "", "configuration file (default: .budgetcheck.yaml from the working directory upward)")
	addFiscalYearFlag(cmd, &o.FiscalYear)
	o.addExplainFlag(cmd)
	return cmd
}

func joinFormats() string { return strings.Join(output.Formats(), ", ") }

// destination is one format and where it goes ("" is stdout).
type destination struct {
	format string
	file   string
}

// write writes through write to the destination's file, atomically, or to
// stdout.
func (d destination) write(stdout io.Writer, write func(*bufio.Writer) error) error {
	if d.file != "" {
		return output.WriteFile(d.file, write)
	}
	w := bufio.NewWriter(stdout)
	if err := write(w); err != nil {
		return err
	}
	return w.Flush()
}

// outputFormat says whether a format is known, and whether it needs a file
// (a binary format such as xlsx cannot go to stdout).
type outputFormat func(name string) (binary bool, err error)

func checkFormat(name string) (bool, error) {
	_, err := output.Get(name, output.Options{})
	return false, err
}

// pairOutputs pairs the n-th --output with the n-th --format; formats
// without an output go to stdout, and at most one may.
func pairOutputs(formats, outputs []string, known outputFormat) ([]destination, error) {
	if len(formats) == 0 {
		formats = []string{"text"}
	}
	if len(outputs) > len(formats) {
		return nil, fmt.Errorf("%d --output for %d --format: give a --format for each --output (they pair up in order)", len(outputs), len(formats))
	}
	var dests []destination
	stdout, files := "", map[string]bool{}
	for i, f := range formats {
		binary, err := known(f)
		if err != nil {
			return nil, fmt.Errorf("--format: %w", err)
		}
		d := destination{format: f}
		if i < len(outputs) && outputs[i] != "-" {
			d.file = outputs[i]
		}
		switch {
		case d.file == "" && binary:
			return nil, fmt.Errorf("--format %s needs an --output FILE", f)
		case d.file == "":
			if stdout != "" {
				return nil, fmt.Errorf("--format %s and %s would both go to stdout: give one an --output FILE (the n-th --output belongs to the n-th --format)", stdout, f)
			}
			stdout = f
		default:
			if files[filepath.Clean(d.file)] {
				return nil, fmt.Errorf("--output %s is given twice", d.file)
			}
			files[filepath.Clean(d.file)] = true
		}
		dests = append(dests, d)
	}
	return dests, nil
}

// runSettings are the options of a check, parsed.
type runSettings struct {
	rules    gate.Rules
	date     time.Time
	waivers  []waiver.Waiver
	baseline []*result.Document
}

func parseSettings(o checkOptions) (runSettings, error) {
	var s runSettings
	var err error
	if s.rules, err = gate.Parse(o.FailOn, o.MinScore, o.FailOnConclusion); err != nil {
		return s, err
	}
	if s.rules.NewOnly && o.Baseline == "" {
		return s, errors.New("--fail-on new needs --baseline FILE: the earlier result document to compare with")
	}
	s.date = time.Now()
	if o.Date != "" {
		d, err := submission.ParseDate(o.Date)
		if err != nil {
			return s, fmt.Errorf("--date: %w", err)
		}
		s.date = d.Time
	}
	if o.Waivers != "" {
		if s.waivers, err = waiver.Load(o.Waivers); err != nil {
			return s, err
		}
	}
	if o.Baseline != "" {
		if s.baseline, err = baseline.Load(o.Baseline); err != nil {
			return s, err
		}
	}
	return s, nil
}

func runCheck(ctx context.Context, o checkOptions, files []string, stdout, stderr io.Writer) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if len(files) == 0 {
		return exitCode(ExitInput, errors.New("no submission to check: give FILE arguments or list files: in .budgetcheck.yaml"))
	}
	dests, err := pairOutputs(o.Formats, o.Outputs, checkFormat)
	if err != nil {
		return exitCode(ExitInput, err)
	}
	for _, d := range dests {
		if err := prepareOutputFile("--output", d.file); err != nil {
			return exitCode(ExitInput, err)
		}
	}
	settings, err := parseSettings(o)
	if err != nil {
		return exitCode(ExitInput, err)
	}
	// The json document carries the schedule (README, The result document);
	// the other formats do not show it.
	o.schedule = slices.ContainsFunc(dests, func(d destination) bool { return d.format == "json" })
	// Start-up (loading the ruleset, compiling and preparing its query the
	// first time a submission needs it) makes some 20 MB of short-lived
	// garbage: collect less often until the first file is judged.
	startupDone := sync.OnceFunc(startupGC())
	defer startupDone()
	engines, err := newEngines(ctx, o.policyOptions)
	if err != nil {
		return exitCode(ExitInput, fmt.Errorf("ruleset: %w", err))
	}
	if o.Explain != "" {
		if err := explainFiles(ctx, engines, o.Explain, files, o.MaxBytes, stderr); err != nil {
			return exitCode(ExitInput, err)
		}
	}
	catalog := waiver.Catalog(engines.Catalog())
	// The text on a terminal lists the input errors already: stderr would
	// show each twice.
	problemsTo := stderr
	for _, d := range dests {
		if d.format == "text" && d.file == "" && isTerminal(stdout) {
			problemsTo = io.Discard
		}
	}
	code := ExitOK
	docs := make([]*result.Document, 0, len(files))
	for _, file := range files {
		if workbooks.IsWorkbook != nil && workbooks.IsWorkbook(file) {
			startupDone() // a workbook's import may hold much: the default collector
			wdocs, fileCode := checkWorkbook(ctx, engines, file, o.FiscalYear, settings, stderr, problemsTo)
			code = max(code, fileCode)
			docs = append(docs, wdocs...)
			continue
		}
		doc, fileCode := checkFile(ctx, engines, file, o.MaxBytes, settings, stderr, problemsTo)
		startupDone()
		code = max(code, fileCode)
		docs = append(docs, doc)
	}
	for _, d := range dests {
		opts := output.Options{Lang: engines.Lang(), Catalog: catalog, Version: buildVersion()}
		if d.file == "" {
			opts.Width = terminalWidth(stdout)
		}
		out, err := output.Get(d.format, opts)
		if err != nil {
			return exitCode(ExitInput, err)
		}
		if err := d.write(stdout, func(w *bufio.Writer) error { return out.Write(w, docs) }); err != nil {
			return exitCode(ExitInternal, err)
		}
	}
	return exitCode(code, nil)
}

// checkFile loads and evaluates one submission, applies the waivers and the
// baseline, and judges it by the fail rules. Problems with the file are
// printed to stderr and kept in the document; so are the reasons it fails.
func checkFile(ctx context.Context, engines *evaluator.Engines, file string, maxBytes int64, s runSettings, stderr, problemsTo io.Writer) (*result.Document, int) {
	sub, err := submission.Load(file, submission.Options{MaxBytes: maxBytes})
	return checkSubmission(ctx, engines, file, sub, err, s, stderr, problemsTo)
}

// checkWorkbook checks each project of a workbook as a submission of its
// own; one that cannot be read is a document with its problems, and the
// import's warnings are printed on stderr.
func checkWorkbook(ctx context.Context, engines *evaluator.Engines, file string, year int, s runSettings, stderr, problemsTo io.Writer) ([]*result.Document, int) {
	projects, err := workbooks.Projects(file, year)
	if err != nil {
		var problems submission.Problems
		if errors.As(err, &problems) {
			err = problems.In(engines.Lang())
		}
		doc, code := checkSubmission(ctx, engines, file, nil, err, s, stderr, problemsTo)
		return []*result.Document{doc}, code
	}
	warning := "警告："
	if engines.Lang() == ruleset.LangEn {
		warning = "warning:"
	}
	var docs []*result.Document
	code := ExitOK
	for _, p := range projects {
		for _, w := range p.Warnings {
			fmt.Fprintln(stderr, warning, w.In(engines.Lang()))
		}
		var err error
		if p.Submission == nil {
			err = p.Problems.In(engines.Lang())
		}
		doc, c := checkSubmission(ctx, engines, file, p.Submission, err, s, stderr, problemsTo)
		docs = append(docs, doc)
		code = max(code, c)
	}
	return docs, code
}

// checkSubmission evaluates a loaded submission (err: why it did not load).
func checkSubmission(ctx context.Context, engines *evaluator.Engines, file string, sub *submission.Submission, err error, s runSettings, stderr, problemsTo io.Writer) (*result.Document, int) {
	var engine *evaluator.Engine
	if err == nil {
		engine, err = engines.For(ctx, sub)
	}
	if err == nil {
		var doc *result.Document
		if doc, err = engine.Evaluate(ctx, sub); err == nil {
			waivers := append(waiver.FromSubmission(sub), s.waivers...)
			waiver.Apply(doc, waivers, waiver.Options{Date: s.date, Lang: engine.Lang(), Catalog: engine.Ruleset().Catalog})
			if s.baseline != nil {
				baseline.Compare(doc, baseline.For(doc, s.baseline))
			}
			if reasons := s.rules.Check(doc, engine.Lang()); len(reasons) > 0 {
				for _, r := range reasons {
					fmt.Fprintf(stderr, "%s: %s\n", file, r)
				}
				return doc, ExitFail
			}
			return doc, ExitOK
		}
	}
	doc := &result.Document{Schema: result.Schema, File: file, Lang: engines.Lang()}
	var problems submission.Problems
	if errors.As(err, &problems) {
		doc.Errors = problems.In(engines.Lang())
		for _, p := range doc.Errors {
			fmt.Fprintln(problemsTo, p)
		}
		return doc, ExitInput
	}
	doc.Errors = submission.Problems{evaluationError(file, err)}
	fmt.Fprintln(problemsTo, doc.Errors[0])
	return doc, ExitInternal
}

// evaluationError is the problem of a submission the policies could not
// judge (a run-time error, --timeout); its position names the file once.
func evaluationError(file string, err error) submission.Problem {
	return submission.Problem{Code: CodeEvaluationError, Pos: submission.Pos{File: file}, Message: strings.TrimPrefix(err.Error(), file+": ")}
}

// CodeEvaluationError is the problem code of a submission the policies
// failed on: not the submission's fault (exit 3).
const CodeEvaluationError = "evaluation_error"
