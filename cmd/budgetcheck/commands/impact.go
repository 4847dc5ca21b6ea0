package commands

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/budgetcheck/budgetcheck/evaluator"
	"github.com/budgetcheck/budgetcheck/evaluator/batch"
	"github.com/budgetcheck/budgetcheck/evaluator/impact"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

type impactOptions struct {
	Base         []string
	BaseData     []string
	Policies     []string
	Data         []string
	Lang         string
	Timeout      time.Duration
	Formats      []string
	Outputs      []string
	Workers      int
	MaxBytes     int64
	FiscalYear   int
	List         int
	FailOnChange bool
	Quiet        bool
}

// NewImpactCommand builds `budgetcheck impact`.
func NewImpactCommand() *cobra.Command {
	var o impactOptions
	cmd := &cobra.Command{
		Use:   "impact --base BASE --policy NEW [--base-data FILE] [--data FILE] PATH...",
		Short: "Show what a rule change does to a batch of submissions before it ships",
		Long: `Evaluate every submission under the given paths (as batch takes them: files, folders,
globs, workbooks) under two rulesets — the base and the new one — and report what changes:
how many projects change grade or conclusion (a transition matrix, 良 → 中 …), the score
deltas (min/median/max), the findings added and removed by code, the recommended budget
before and after (万元), and every changed project with what changed. Unchanged projects
are counted, not listed.

A side is ruleset folders (--base, --policy; repeatable, later ones add to earlier ones)
or one embedded ruleset (embedded:chengdu, embedded:target-review), plus data overlays
(--base-data, --data). Without --base the base is the embedded rulesets chosen per
submission as check and batch choose them (a 申报表 gets the target review); without
--policy the new side is the base's rulesets: the common case is --data alone, the same
rules with a changed parameter. Both rulesets are prepared once; each submission
is read once and evaluated under both in the same pool of workers. The output is the same,
byte for byte, whatever --workers is.

Formats: text (default), markdown (a pull-request comment), json (every changed project),
xlsx (one row per changed project; needs --output). --format and --output are repeatable
and pair up in order, as in check.

Exit codes: 0 done (or no outcome changed, with --fail-on-change); 1 with --fail-on-change
when a project's grade or conclusion changes; 2 bad usage or a ruleset that does not load;
3 internal error; 130 interrupted.`,
		Example: `  # what does a 0-day payment lag do to this year's submissions?
  budgetcheck impact --data lag0.yaml submissions/

  # a changed ruleset folder against the embedded one, as a PR comment, failing on a change
  budgetcheck impact --base embedded:chengdu --policy ./policies/chengdu -f markdown -o impact.md --fail-on-change fixtures/

  # every changed project in a workbook
  budgetcheck impact --base ./rules-2024 --policy ./rules-2025 -f xlsx -o impact.xlsx submissions/`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runImpact(cmd.Context(), o, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&o.Base, "base", nil, "base ruleset: a folder (repeatable) or embedded:NAME (default: the embedded rulesets, chosen per submission)")
	f.StringArrayVar(&o.BaseData, "base-data", nil, "YAML/JSON file deep-merged over the base ruleset's data (repeatable)")
	f.StringArrayVarP(&o.Policies, "policy", "p", nil, "new ruleset: a folder (repeatable) or embedded:NAME (default: the base's)")
	f.StringArrayVar(&o.Data, "data", nil, "YAML/JSON file deep-merged over the new ruleset's data (repeatable)")
	f.StringVar(&o.Lang, "lang", ruleset.LangZh, "language of the texts: zh or en")
	f.DurationVar(&o.Timeout, "timeout", evaluator.DefaultTimeout, "longest evaluation of one submission")
	f.StringArrayVarP(&o.Formats, "format", "f", nil, "output format (repeatable): text, markdown, json, xlsx (default text)")
	f.StringArrayVarP(&o.Outputs, "output", "o", nil, "file for the format given in the same position (repeatable; - is stdout)")
	f.IntVarP(&o.Workers, "workers", "j", 0, "submissions evaluated in parallel, each under both rulesets (default: the number of CPUs)")
	f.Int64Var(&o.MaxBytes, "max-bytes", submission.DefaultMaxBytes, "refuse submission files larger than this")
	f.IntVar(&o.List, "list", 50, "most changed projects listed in text and markdown (0: all; json and xlsx list all)")
	f.BoolVar(&o.FailOnChange, "fail-on-change", false, "exit 1 when a project's grade or conclusion changes")
	f.BoolVarP(&o.Quiet, "quiet", "q", false, "no progress bar")
	addFiscalYearFlag(cmd, &o.FiscalYear)
	return cmd
}

// impactSide prepares the engines of one side of impact: the ruleset
// folders named (or one embedded:NAME) with the data overlays or, when none is
// named, the embedded rulesets chosen per submission as check and batch choose
// them (a 申报表 gets the target review). It is the one place where impact
// chooses its engines.
func impactSide(ctx context.Context, rulesets, data []string, o impactOptions) (impact.Evaluator, impact.Side, error) {
	po := policyOptions{Data: data, Lang: o.Lang, Timeout: o.Timeout}
	for _, r := range rulesets {
		name, embedded := strings.CutPrefix(r, "embedded:")
		switch {
		case embedded && len(rulesets) > 1:
			return nil, impact.Side{}, fmt.Errorf("%s: an embedded ruleset stands alone; copy it to a folder to add to it", r)
		case embedded:
			po.Ruleset = name
		default:
			po.Policies = append(po.Policies, r)
		}
	}
	engines, err := newEngines(ctx, po)
	if err != nil {
		return nil, impact.Side{}, err
	}
	side := impact.Side{Data: data}
	for _, rs := range engines.Rulesets() {
		side.Rulesets = append(side.Rulesets, impact.Ruleset{Name: rs.Manifest.Name, Version: rs.Manifest.Version, Source: rs.Source})
	}
	return engines, side, nil
}

func runImpact(ctx context.Context, o impactOptions, args []string, stdout, stderr io.Writer) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if o.Workers < 0 {
		return exitCode(ExitInput, fmt.Errorf("--workers %d: use a positive number (0: one per CPU)", o.Workers))
	}
	if o.List < 0 {
		return exitCode(ExitInput, fmt.Errorf("--list %d: use 0 (all) or a positive number", o.List))
	}
	dests, err := pairOutputs(o.Formats, o.Outputs, impactFormat)
	if err != nil {
		return exitCode(ExitInput, err)
	}
	inputs, err := batch.Expand(args, workbooks.IsWorkbook)
	if err != nil {
		return exitCode(ExitInput, err)
	}
	if len(inputs) == 0 {
		return exitCode(ExitInput, fmt.Errorf("no submission (*.yaml, *.yml, *.json) under %v", args))
	}
	if err := needFiscalYear(inputs, o.FiscalYear, o.Lang); err != nil {
		return exitCode(ExitInput, err)
	}
	newRulesets := o.Policies
	if len(newRulesets) == 0 {
		newRulesets = o.Base
	}
	base, baseSide, err := impactSide(ctx, o.Base, o.BaseData, o)
	if err != nil {
		return exitCode(ExitInput, fmt.Errorf("base ruleset: %w", err))
	}
	next, newSide, err := impactSide(ctx, newRulesets, o.Data, o)
	if err != nil {
		return exitCode(ExitInput, fmt.Errorf("new ruleset: %w", err))
	}

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop() // a second Ctrl-C ends the process at once
	}()
	opts := impact.Options{
		Workers: o.Workers, Lang: o.Lang,
		Load: batch.Options{MaxBytes: o.MaxBytes, IsWorkbook: workbooks.IsWorkbook},
	}
	if workbooks.Projects != nil {
		opts.Load.LoadWorkbook = func(path string) ([]batch.Project, error) { return workbooks.Projects(path, o.FiscalYear) }
	}
	bar := newProgress(len(inputs), o.Quiet, o.Lang, stderr)
	if bar != nil {
		opts.Progress = func(int) { _ = bar.Add(1) }
	}
	if os.Getenv("GOGC") == "" {
		// As in batch: evaluating makes much short-lived garbage.
		defer debug.SetGCPercent(debug.SetGCPercent(200))
	}
	rep, err := impact.Run(ctx, base, next, inputs, impact.NewTally(baseSide, newSide), opts)
	if bar != nil {
		_ = bar.Exit()
		fmt.Fprintln(stderr)
	}
	if err != nil {
		return exitCode(ExitInternal, err)
	}
	fo := impact.FormatOptions{Lang: o.Lang, List: o.List}
	for _, d := range dests {
		out, _ := impact.Get(d.format, fo)
		if err := d.write(stdout, func(w *bufio.Writer) error { return out.Write(w, rep) }); err != nil {
			return exitCode(ExitInternal, err)
		}
	}
	if rep.Partial {
		fmt.Fprintf(stderr, "budgetcheck: interrupted after %d of %d files; the report is marked partial\n", rep.Inputs, len(inputs))
		return exitCode(ExitInterrupted, nil)
	}
	if o.FailOnChange && rep.OutcomeChanged > 0 {
		if o.Lang == ruleset.LangEn {
			fmt.Fprintf(stderr, "budgetcheck: %d projects change grade or conclusion (--fail-on-change)\n", rep.OutcomeChanged)
		} else {
			fmt.Fprintf(stderr, "budgetcheck: %d 个项目的结论或等级发生变化（--fail-on-change）\n", rep.OutcomeChanged)
		}
		return exitCode(ExitFail, nil)
	}
	return nil
}

// impactFormat is impact's outputFormat: xlsx needs a file.
func impactFormat(name string) (bool, error) {
	_, err := impact.Get(name, impact.FormatOptions{})
	return impact.Binary(name), err
}
