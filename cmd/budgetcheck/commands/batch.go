package commands

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/budgetcheck/budgetcheck/evaluator/annotate"
	"github.com/budgetcheck/budgetcheck/evaluator/batch"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
	"github.com/budgetcheck/budgetcheck/evaluator/summary"
)

// ExitInterrupted is the exit code of a batch stopped by Ctrl-C (128 + SIGINT,
// as shells report it); its summary is written and marked partial.
const ExitInterrupted = 130

// workbooks reads Excel workbooks (many projects to a file) for batch, check
// and inspect. Without a reader a workbook input becomes an error row.
var workbooks = struct {
	IsWorkbook func(path string) bool
	// Projects reads every project of a workbook, each with its problems
	// or its submission, and the import's warnings.
	Projects func(path string, fiscalYear int) ([]batch.Project, error)
	// Load reads a workbook's submissions, or the problems of those that
	// cannot be read.
	Load func(path string, fiscalYear int) ([]*submission.Submission, error)
	// UnknownYear lists where a workbook's fiscal year cannot be inferred.
	UnknownYear func(path string) []string
	// Title names an import warning's code.
	Title func(code, lang string) string
}{}

type batchOptions struct {
	policyOptions
	FiscalYear int
	Out        string
	Workers    int
	Quiet      bool
	MaxBytes   int64
	Profile    string
	Annotate   string
}

// NewBatchCommand builds `budgetcheck batch`.
func NewBatchCommand() *cobra.Command {
	var o batchOptions
	cmd := &cobra.Command{
		Use:   "batch PATH...",
		Short: "Review many submissions at once and write ranked summaries",
		Long: `Evaluate every submission under the given paths (files, folders searched recursively
for *.yaml, *.yml and *.json, or glob patterns) with one prepared query shared by a pool
of workers, and write into --out DIR:

  results/<input>.json  the result document of each submission (as check --format json)
  summary.xlsx          汇总 (one row per submission, ranked by score, totals row),
                        问题清单 (one row per finding), 调整明细 (one row per changed budget line)
  summary.csv           the 汇总 rows, UTF-8 with a BOM so that Excel reads the Chinese
  summary.md            the same, in Markdown
  审核结果.xlsx          the register: one row per project (code, name, unit, grade,
                        numbered notes), by unit and code, printable; with one letter
                        审核意见-<unit>.md/.html per unit (with --annotate, or when the
                        batch is a target review)

With --annotate DIR, a copy of every input workbook goes into DIR: each problem cell
filled in a colour per severity with a comment holding its notes, and a first sheet
审核意见 listing the projects; every original value, formula and sheet is kept.

Amounts in the summaries are in 万元 whatever unit a submission uses. A file that cannot
be read or evaluated becomes an error row and the batch goes on; so does each project of a
workbook that cannot be read, and the workbook's other projects are evaluated. A workbook
whose fiscal year is in no title, 实施期限, file or sheet name needs --fiscal-year: the
batch asks for it once, before evaluating anything. The output is the same,
byte for byte, whatever --workers is. Ctrl-C stops cleanly: the finished results and a
summary marked partial are written.

Exit codes: 0 when every submission passes, 1 when one fails the policy, 2 when a file
cannot be read, 3 on an internal error, 130 when interrupted.`,
		Example: `  # review a year's submissions
  budgetcheck batch --out review-2021 submissions/

  # a glob, two workers, no progress bar
  budgetcheck batch --out /tmp/r --workers 2 --quiet 'incoming/*.yaml'

  # the departments' workbooks back with the notes in their cells
  budgetcheck batch --out review --annotate review/annotated workbooks/

  # a folder of 申报表 workbooks whose sheets do not say their year
  budgetcheck batch --fiscal-year 2023 --out review exports/`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := applyConfigFlags(cmd, "fiscal-year"); err != nil {
				return exitCode(ExitInput, err)
			}
			return runBatch(cmd.Context(), o, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	o.addFlags(cmd)
	f := cmd.Flags()
	addFiscalYearFlag(cmd, &o.FiscalYear)
	f.StringVarP(&o.Out, "out", "o", "", "directory to write the result documents and summaries into (required)")
	f.IntVarP(&o.Workers, "workers", "j", 0, "submissions evaluated in parallel (default: the number of CPUs)")
	f.BoolVarP(&o.Quiet, "quiet", "q", false, "no progress bar")
	f.Int64Var(&o.MaxBytes, "max-bytes", submission.DefaultMaxBytes, "refuse submission files larger than this")
	f.StringVar(&o.Profile, "cpuprofile", "", "write a CPU profile (pprof) of the run to this file")
	f.StringVar(&o.Annotate, "annotate", "", "write an annotated copy of every input workbook into this directory, and 审核结果.xlsx with one letter per unit into --out")
	_ = f.MarkHidden("cpuprofile")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

func runBatch(ctx context.Context, o batchOptions, args []string, stdout, stderr io.Writer) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if o.Workers < 0 {
		return exitCode(ExitInput, fmt.Errorf("--workers %d: use a positive number (0: one per CPU)", o.Workers))
	}
	found, err := batch.Collect(args, batch.CollectOptions{IsWorkbook: workbooks.IsWorkbook, MaxBytes: o.MaxBytes, Exclude: []string{o.Out}})
	if err != nil {
		return exitCode(ExitInput, err)
	}
	inputs := found.Files
	skipped := make([]summary.Skipped, len(found.Skipped))
	for i, sk := range found.Skipped {
		skipped[i] = summary.Skipped{File: sk.Path, Reason: sk.In(o.Lang)}
	}
	if len(inputs) == 0 {
		reportSkipped(stderr, o.Lang, skipped)
		return exitCode(ExitInput, fmt.Errorf("no submission (*.yaml, *.yml, *.json) under %v", args))
	}
	if err := o.validate(); err != nil {
		return exitCode(ExitInput, err)
	}
	if err := needFiscalYear(inputs, o.FiscalYear, o.Lang); err != nil {
		return exitCode(ExitInput, err)
	}
	engine, err := newEngines(ctx, o.policyOptions)
	if err != nil {
		return exitCode(ExitInput, fmt.Errorf("ruleset: %w", err))
	}
	if err := os.MkdirAll(o.Out, 0o755); err != nil {
		return exitCode(ExitInput, fmt.Errorf("--out: %w", err))
	}
	sum, err := summary.Create(o.Out, o.Lang)
	if err != nil {
		return exitCode(ExitInternal, err)
	}
	defer sum.Discard()
	ann, err := annotate.NewBatch(o.Out, o.Annotate, annotate.Options{Lang: o.Lang, FiscalYear: o.FiscalYear})
	if err != nil {
		return exitCode(ExitInternal, err)
	}
	defer ann.Discard()
	ann.Root = annotate.Root(inputs)
	ann.Warn = func(input string, err error) {
		var problems submission.Problems
		if errors.As(err, &problems) {
			err = problems.In(o.Lang)
		}
		if o.Lang == ruleset.LangEn {
			fmt.Fprintf(stderr, "budgetcheck: no annotated copy of %s: %v\n", input, err)
			return
		}
		fmt.Fprintf(stderr, "budgetcheck: 未生成 %s 的批注副本：%v\n", input, err)
	}

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop() // a second Ctrl-C ends the process at once
	}()

	opts := batch.Options{
		Workers: o.Workers, OutDir: o.Out, MaxBytes: o.MaxBytes,
		IsWorkbook: workbooks.IsWorkbook,
	}
	if workbooks.Projects != nil {
		opts.LoadWorkbook = func(path string) ([]batch.Project, error) { return workbooks.Projects(path, o.FiscalYear) }
		opts.ImportTitle = func(code string) string { return workbooks.Title(code, o.Lang) }
	}
	bar := newProgress(len(inputs), o.Quiet, o.Lang, stderr)
	if bar != nil {
		opts.Progress = func(int) { _ = bar.Add(1) }
	}
	if o.Profile != "" {
		pf, err := os.Create(o.Profile)
		if err != nil {
			return exitCode(ExitInput, err)
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return exitCode(ExitInternal, err)
		}
		defer pprof.StopCPUProfile()
	}
	if os.Getenv("GOGC") == "" {
		// Evaluating allocates much short-lived garbage and holds little:
		// collect less often. Writing the workbook holds large buffers: back
		// to the default then, so that the peak RSS stays flat.
		defer debug.SetGCPercent(debug.SetGCPercent(200))
	}
	start := time.Now()
	st, err := batch.Run(ctx, engine, inputs, opts, func(item batch.Item) error {
		for _, row := range item.Rows {
			if err := sum.Add(row); err != nil {
				return err
			}
		}
		return ann.Add(item)
	})
	if bar != nil {
		_ = bar.Exit()
		fmt.Fprintln(stderr)
	}
	if err != nil {
		return exitCode(ExitInternal, err)
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(100)
	}
	status := summary.Status{Inputs: st.Done, Total: st.Inputs, Partial: st.Done < st.Inputs, Skipped: skipped}
	if err := sum.Close(status); err != nil {
		return exitCode(ExitInternal, err)
	}
	registered, err := ann.Close(status)
	if err != nil {
		return exitCode(ExitInternal, err)
	}
	report(stdout, o, sum.Totals(), st)
	if registered {
		reportAnnotated(stdout, o, ann)
	}
	if ann.Failed > 0 {
		st.Code = max(st.Code, batch.CodeInput)
	}
	reportSkipped(stderr, o.Lang, skipped)
	if !o.Quiet {
		reportTime(stderr, o.Lang, sum.Totals().Submissions, st.Done, time.Since(start), cmp.Or(o.Workers, runtime.NumCPU()))
	}
	if status.Partial {
		fmt.Fprintf(stderr, "budgetcheck: interrupted after %d of %d files; the summary in %s is marked partial\n", st.Done, st.Inputs, o.Out)
		return exitCode(ExitInterrupted, nil)
	}
	return exitCode(st.Code, nil)
}

// reportTime says how long the batch took, per project: a workbook is one
// file of many projects.
func reportTime(w io.Writer, lang string, projects, files int, took time.Duration, workers int) {
	rate := float64(projects) / max(took.Seconds(), 1e-9)
	if lang == ruleset.LangEn {
		fmt.Fprintf(w, "%d projects in %d files, %.2f s: %.0f per second, %d workers\n", projects, files, took.Seconds(), rate, workers)
		return
	}
	fmt.Fprintf(w, "用时 %.2f 秒：%d 个项目（%d 个文件），每秒 %.0f 个，%d 个并行\n", took.Seconds(), projects, files, rate, workers)
}

// newProgress is a progress bar on stderr when it is a terminal, else nil.
func newProgress(total int, quiet bool, lang string, stderr io.Writer) *progressbar.ProgressBar {
	f, ok := stderr.(*os.File)
	if quiet || !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	desc := "评估"
	if lang == ruleset.LangEn {
		desc = "evaluating"
	}
	return progressbar.NewOptions(total,
		progressbar.OptionSetWriter(stderr),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("files"),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetWidth(30),
	)
}

func reportAnnotated(w io.Writer, o batchOptions, ann *annotate.Batch) {
	register := filepath.Join(o.Out, annotate.RegisterName)
	if o.Lang == ruleset.LangEn {
		fmt.Fprintf(w, "review register and letters per unit → %s", register)
		if o.Annotate != "" {
			fmt.Fprintf(w, "; %d annotated workbooks → %s", ann.Copies, o.Annotate)
		}
		fmt.Fprintln(w)
		return
	}
	fmt.Fprintf(w, "审核结果和各单位审核意见 → %s", register)
	if o.Annotate != "" {
		fmt.Fprintf(w, "；%d 个批注副本 → %s", ann.Copies, o.Annotate)
	}
	fmt.Fprintln(w)
}

// reportSkipped lists on stderr every file the batch passed over, and why.
func reportSkipped(w io.Writer, lang string, skipped []summary.Skipped) {
	if len(skipped) == 0 {
		return
	}
	if lang == ruleset.LangEn {
		fmt.Fprintf(w, "skipped %d files (listed in the summaries):\n", len(skipped))
	} else {
		fmt.Fprintf(w, "跳过 %d 个文件（汇总中也已列出）：\n", len(skipped))
	}
	for _, sk := range skipped {
		fmt.Fprintf(w, "  %s: %s\n", sk.File, sk.Reason)
	}
}

// needFiscalYear refuses, once for the whole batch, workbooks whose fiscal
// year can be neither read nor inferred when --fiscal-year is not given.
func needFiscalYear(inputs []string, year int, lang string) error {
	if year != 0 || workbooks.UnknownYear == nil {
		return nil
	}
	var where []string
	books := 0
	for _, in := range inputs {
		if workbooks.IsWorkbook(in) {
			if w := workbooks.UnknownYear(in); len(w) > 0 {
				books++
				where = append(where, w...)
			}
		}
	}
	if len(where) == 0 {
		return nil
	}
	if lang == ruleset.LangEn {
		return fmt.Errorf("the fiscal year is unknown for %d projects in %d workbooks (first: %s): no year in their title, 实施期限, file name or sheet name.\nGive it with --fiscal-year, e.g. budgetcheck batch --fiscal-year 2023 …, or fiscal-year: 2023 in .budgetcheck.yaml",
			len(where), books, where[0])
	}
	return fmt.Errorf("无法确定预算年度：%d 个工作簿中的 %d 个项目（首个：%s）的标题、实施期限、文件名和工作表名中都没有年份。\n请用 --fiscal-year 指定，例如 budgetcheck batch --fiscal-year 2023 …；或在 .budgetcheck.yaml 中写 fiscal-year: 2023",
		books, len(where), where[0])
}

func report(w io.Writer, o batchOptions, t summary.Totals, st batch.Stats) {
	xlsx := filepath.Join(o.Out, summary.XLSXName)
	if g := t.GradeCounts(o.Lang); g != "" {
		// target reviews: their grades first (they recommend no budget)
		if o.Lang == ruleset.LangEn {
			fmt.Fprintf(w, "target review: %s\n", g)
		} else {
			fmt.Fprintf(w, "绩效目标审核：%s\n", g)
		}
		if t.Reviewed() == t.Scored { // no recommendation to report
			if o.Lang == ruleset.LangEn {
				fmt.Fprintf(w, "%d projects in %d files: %d passed, %d failing (graded poor), %d not evaluated; requested %s (10k CNY)%s → %s\n",
					t.Submissions, st.Done, t.Scored-t.Failed, t.Failed, t.Unreadable, t.Requested, suspectNote(t, o.Lang), xlsx)
				return
			}
			fmt.Fprintf(w, "%d 个项目（%d 个文件）：%d 个通过，%d 个未通过（差），%d 个无法评估；申报 %s 万元%s → %s\n",
				t.Submissions, st.Done, t.Scored-t.Failed, t.Failed, t.Unreadable, t.Requested, suspectNote(t, o.Lang), xlsx)
			return
		}
	}
	if o.Lang == ruleset.LangEn {
		fmt.Fprintf(w, "%d projects in %d files: %d passed, %d failing, %d not evaluated; requested %s, recommended %s, change %s (10k CNY)%s → %s\n",
			t.Submissions, st.Done, t.Scored-t.Failed, t.Failed, t.Unreadable, t.Requested, t.Recommended, t.Change, suspectNote(t, o.Lang), xlsx)
		return
	}
	fmt.Fprintf(w, "%d 个项目（%d 个文件）：%d 个通过，%d 个未通过，%d 个无法评估；申报 %s 万元，建议 %s 万元，调整 %s 万元%s → %s\n",
		t.Submissions, st.Done, t.Scored-t.Failed, t.Failed, t.Unreadable, t.Requested, t.Recommended, t.Change, suspectNote(t, o.Lang), xlsx)
}

// suspectNote says how many projects were left out of the amounts because
// their unit looks wrong (元 under 万元).
func suspectNote(t summary.Totals, lang string) string {
	switch {
	case t.UnitSuspect == 0:
		return ""
	case lang == ruleset.LangEn:
		return fmt.Sprintf("; %d projects with a doubtful unit (元 under 万元?) not added", t.UnitSuspect)
	}
	return fmt.Sprintf("（另有 %d 个项目金额单位存疑，未计入）", t.UnitSuspect)
}
