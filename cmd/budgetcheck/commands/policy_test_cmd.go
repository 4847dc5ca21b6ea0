package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/budgetcheck/budgetcheck/evaluator"
	"github.com/budgetcheck/budgetcheck/evaluator/policytest"
	"github.com/budgetcheck/budgetcheck/policies"
)

type policyTestOptions struct {
	Ruleset   string
	Data      []string
	Run       string
	Coverage  bool
	Threshold float64
	Fixtures  string
	Timeout   time.Duration
	Verbose   bool
}

// NewPolicyTestCommand builds `budgetcheck policy test`.
func NewPolicyTestCommand() *cobra.Command {
	var o policyTestOptions
	cmd := &cobra.Command{
		Use:   "test [DIR...]",
		Short: "Run a ruleset's Rego tests and the regression fixtures",
		Long: `Run every *_test.rego of the ruleset (every embedded ruleset, one after the other, when no
DIR or --ruleset is given; each DIR is a ruleset of its own) with OPA's tester, in the same sandbox and with the same data the
rules are evaluated with, and print PASS/FAIL per test like opa test.

Then evaluate every fixtures/**/submission.yaml that has an expected.json beside it and
compare the result document with it field by field: expected.json names only the fields it
cares about. A policy author adds a regression case by dropping those two files.

--coverage prints each policy file's line coverage; --threshold N fails below N %.
Exit 1 when a test or a fixture fails or coverage is below the threshold, 2 when the ruleset
does not load or compile.`,
		Example: `  # the embedded ruleset, with coverage, as CI runs it
  budgetcheck policy test --coverage --threshold 90

  # a copied ruleset, only the tests about C7's assessment cycles
  budgetcheck policy test ./my-rules --run 'assessment_cycle'

  # what a district override changes
  budgetcheck policy test --data district.yaml`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runPolicyTest(cmd.Context(), o, args, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&o.Data, "data", nil, "YAML/JSON file deep-merged over the ruleset's data (repeatable)")
	f.StringVar(&o.Ruleset, "ruleset", "", "test only this embedded ruleset ("+strings.Join(policies.Rulesets, ", ")+"; default: every one)")
	f.StringVar(&o.Run, "run", "", "run only the Rego tests whose package.rule matches this regular expression (fixtures are skipped)")
	f.BoolVar(&o.Coverage, "coverage", false, "print each policy file's line coverage")
	f.Float64Var(&o.Threshold, "threshold", 0, "with --coverage: fail when the total coverage is below this percentage")
	f.StringVar(&o.Fixtures, "fixtures", defaultFixtures, "directory searched for submission.yaml + expected.json regression cases (default: fixtures/ in the working directory or the nearest folder above that has one; \"\" for none)")
	f.DurationVar(&o.Timeout, "timeout", policytest.DefaultTimeout, "longest run of one Rego test or evaluation of one fixture")
	f.BoolVarP(&o.Verbose, "verbose", "v", false, "print passing tests too")
	return cmd
}

func runPolicyTest(ctx context.Context, o policyTestOptions, dirs []string, stdout io.Writer) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if o.Threshold > 0 {
		o.Coverage = true
	}
	// Each DIR is a ruleset of its own (policies/* tests every region);
	// without one, every embedded ruleset is tested, each on its own.
	rulesets := [][]string{nil}
	embedded := []string{""}
	if len(dirs) == 0 && o.Ruleset == "" {
		embedded = policies.Rulesets
	} else if o.Ruleset != "" {
		embedded = []string{o.Ruleset}
	}
	if len(dirs) > 0 {
		rulesets = nil
		for _, dir := range dirs {
			rulesets = append(rulesets, []string{dir})
		}
	}
	failed := false
	type run struct {
		dirs     []string
		embedded string
	}
	var runs []run
	for _, d := range rulesets {
		if d != nil {
			runs = append(runs, run{dirs: d})
			continue
		}
		for _, name := range embedded {
			runs = append(runs, run{embedded: name})
		}
	}
	for i, r := range runs {
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		err := testRuleset(ctx, o, r.dirs, r.embedded, stdout)
		var exit *ExitError
		switch {
		case errors.As(err, &exit) && exit.Code == ExitFail && exit.Err == nil:
			failed = true
		case err != nil:
			return err
		}
	}
	if failed {
		return exitCode(ExitFail, nil)
	}
	return nil
}

// testRuleset runs one ruleset's tests, then the fixtures against it.
func testRuleset(ctx context.Context, o policyTestOptions, dirs []string, embedded string, stdout io.Writer) error {
	popts := rulesetOptions(dirs, o.Data)
	popts.Ruleset = embedded
	popts.Timeout = o.Timeout
	withTests := popts
	withTests.tests = true
	rs, err := loadRuleset(withTests)
	if err != nil {
		return exitCode(ExitInput, fmt.Errorf("ruleset: %w", err))
	}
	report, err := policytest.Run(ctx, rs, policytest.Options{Run: o.Run, Coverage: o.Coverage, Timeout: o.Timeout})
	if err != nil {
		return exitCode(ExitInput, fmt.Errorf("ruleset %s: %w", rs.Source, err))
	}
	failed := len(report.Failed())
	fmt.Fprintf(stdout, "%s (%s %s)\n", rs.Source, rs.Manifest.Name, rs.Manifest.Version)
	for _, t := range report.Tests {
		if t.Pass && !o.Verbose {
			continue
		}
		fmt.Fprintf(stdout, "%s: %s (%s)\n", t.FullName(), t.Outcome(), t.Duration.Round(time.Microsecond))
		if !t.Pass && !t.Skip {
			fmt.Fprintf(stdout, "  at %s\n", t.Location)
			if t.FailedAt != "" {
				fmt.Fprintf(stdout, "  failed at %s\n", t.FailedAt)
			}
			if t.Error != "" {
				fmt.Fprintf(stdout, "  %s\n", t.Error)
			}
			if t.Output != "" {
				fmt.Fprintf(stdout, "  output: %s\n", t.Output)
			}
		}
	}
	fmt.Fprintf(stdout, "Rego tests: PASS %d/%d", len(report.Tests)-failed, len(report.Tests))
	if failed > 0 {
		fmt.Fprintf(stdout, ", FAIL %d", failed)
	}
	fmt.Fprintln(stdout)

	if o.Run == "" && o.Fixtures != "" {
		fixtureFailed, err := runFixtureCases(ctx, o, popts, stdout)
		if err != nil {
			return err
		}
		failed += fixtureFailed
	}

	if o.Coverage {
		fmt.Fprintln(stdout, "Coverage:")
		for _, f := range report.Coverage {
			fmt.Fprintf(stdout, "  %6.2f%%  %s", f.Percent, f.File)
			if len(f.Missed) > 0 {
				fmt.Fprintf(stdout, "  (not covered: lines %s)", strings.Join(f.Missed, ", "))
			}
			fmt.Fprintln(stdout)
		}
		fmt.Fprintf(stdout, "  %6.2f%%  total\n", report.Percent)
		if o.Threshold > 0 && report.Percent < o.Threshold {
			fmt.Fprintf(stdout, "coverage %.2f%% is below the threshold %.2f%%\n", report.Percent, o.Threshold)
			return exitCode(ExitFail, nil)
		}
	}
	if failed > 0 {
		return exitCode(ExitFail, nil)
	}
	return nil
}

// defaultFixtures is the folder of regression cases policy test looks for.
const defaultFixtures = "fixtures"

// findUpward returns name in the working directory or the nearest folder
// above it that holds one, relative to the working directory when it can.
func findUpward(name string) (string, bool) {
	wd, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if st, err := os.Stat(filepath.Join(dir, name)); err == nil && st.IsDir() {
			if rel, err := filepath.Rel(wd, filepath.Join(dir, name)); err == nil {
				return rel, true
			}
			return filepath.Join(dir, name), true
		}
		if filepath.Dir(dir) == dir {
			return "", false
		}
	}
}

// runFixtureCases evaluates the regression fixtures and prints each mismatch.
func runFixtureCases(ctx context.Context, o policyTestOptions, popts policyOptions, stdout io.Writer) (int, error) {
	if o.Fixtures == defaultFixtures {
		// Run from a sub-folder of the repository, the fixtures are found
		// above; run elsewhere, the output says there are none.
		dir, ok := findUpward(defaultFixtures)
		if !ok {
			fmt.Fprintf(stdout, "Fixtures: none (no %s/ folder here or above; --fixtures DIR names one)\n", defaultFixtures)
			return 0, nil
		}
		if dir != defaultFixtures {
			fmt.Fprintf(stdout, "Fixtures: %s\n", dir)
		}
		o.Fixtures = dir
	}
	if st, err := os.Stat(o.Fixtures); err != nil || !st.IsDir() {
		return 0, exitCode(ExitInput, fmt.Errorf("--fixtures %s: not a directory", o.Fixtures))
	}
	files, err := policytest.FindFixtures(o.Fixtures)
	if err != nil {
		return 0, exitCode(ExitInput, err)
	}
	if len(files) == 0 {
		return 0, nil
	}
	popts.schedule = true // a fixture's expected.json may state the schedule
	engine, err := newEngine(ctx, popts)
	if err != nil {
		return 0, exitCode(ExitInput, fmt.Errorf("ruleset: %w", err))
	}
	failed, skipped := 0, 0
	for _, c := range policytest.RunFixtures(ctx, engine, files) {
		if c.Skipped != "" {
			skipped++
			if o.Verbose {
				fmt.Fprintf(stdout, "fixture %s: SKIP (%s)\n", c.Submission, c.Skipped)
			}
			continue
		}
		if c.Pass() {
			if o.Verbose {
				fmt.Fprintf(stdout, "fixture %s: PASS\n", c.Submission)
			}
			continue
		}
		failed++
		fmt.Fprintf(stdout, "fixture %s: FAIL (compared with %s)\n", c.Submission, c.Expected)
		if c.Error != "" {
			fmt.Fprintf(stdout, "  %s\n", c.Error)
		}
		for _, d := range c.Diffs {
			fmt.Fprintf(stdout, "  %s\n      expected %s\n      got      %s\n", d.Path, d.Expected, d.Actual)
		}
	}
	fmt.Fprintf(stdout, "Fixtures: PASS %d/%d", len(files)-failed-skipped, len(files)-skipped)
	if failed > 0 {
		fmt.Fprintf(stdout, ", FAIL %d", failed)
	}
	if skipped > 0 {
		fmt.Fprintf(stdout, " (%d skipped: they call for another procedure than %s)", skipped, evaluator.ProcedureOf(engine.Ruleset()))
	}
	fmt.Fprintln(stdout)
	return failed, nil
}
