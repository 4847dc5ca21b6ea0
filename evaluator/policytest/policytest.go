// Package policytest runs a ruleset's Rego unit tests (*_test.rego) with
// OPA's tester, in the same sandbox the policies are evaluated in, and
// optionally measures their line coverage with OPA's cover package. It also
// runs the table-driven regression cases of a fixtures directory: every
// submission.yaml with an expected.json beside it.
package policytest

import (
	"cmp"
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/cover"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/tester"
	"github.com/open-policy-agent/opa/v1/topdown"

	"github.com/budgetcheck/budgetcheck/evaluator"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
)

// DefaultTimeout bounds one Rego test.
const DefaultTimeout = 10 * time.Second

// Options tune a run of the Rego tests.
type Options struct {
	// Run keeps only the tests whose name (package.rule) matches this regular expression.
	Run string
	// Coverage measures the line coverage of the policy modules.
	Coverage bool
	// Timeout bounds one test (0 means DefaultTimeout).
	Timeout time.Duration
}

// Test is the outcome of one Rego test.
type Test struct {
	Package  string        `json:"package"`
	Name     string        `json:"name"`
	Location string        `json:"location"`
	Pass     bool          `json:"pass"`
	Skip     bool          `json:"skip,omitempty"`
	Error    string        `json:"error,omitempty"`
	FailedAt string        `json:"failed_at,omitempty"`
	Output   string        `json:"output,omitempty"`
	Duration time.Duration `json:"duration"`
}

// FullName is the test's package and rule, as `opa test` prints it.
func (t Test) FullName() string { return t.Package + "." + t.Name }

// Outcome is PASS, FAIL, ERROR or SKIPPED.
func (t Test) Outcome() string {
	switch {
	case t.Skip:
		return "SKIPPED"
	case t.Pass:
		return "PASS"
	case t.Error != "":
		return "ERROR"
	}
	return "FAIL"
}

// FileCoverage is the line coverage of one policy module.
type FileCoverage struct {
	File       string  `json:"file"`
	Covered    int     `json:"covered_lines"`
	NotCovered int     `json:"not_covered_lines"`
	Percent    float64 `json:"coverage"`
	// Missed lists the lines no test evaluated, as "from-to" ranges.
	Missed []string `json:"not_covered,omitempty"`
}

// Report is the outcome of a run: the tests in file and line order, and the
// coverage when it was asked for.
type Report struct {
	Tests    []Test         `json:"tests"`
	Coverage []FileCoverage `json:"coverage,omitempty"`
	// Percent is the coverage of all policy modules together.
	Percent float64 `json:"total_coverage"`
}

// Failed returns the tests that did not pass (skipped ones aside).
func (r *Report) Failed() []Test {
	var out []Test
	for _, t := range r.Tests {
		if !t.Pass && !t.Skip {
			out = append(out, t)
		}
	}
	return out
}

// Run runs the ruleset's Rego tests against its data, compiled with the
// sandbox's capabilities. An error means the tests could not run at all
// (a module does not compile, the filter is not a regular expression).
func Run(ctx context.Context, rs *ruleset.Ruleset, opts Options) (*Report, error) {
	if opts.Run != "" {
		if _, err := regexp.Compile(opts.Run); err != nil {
			return nil, fmt.Errorf("--run %q: %w", opts.Run, err)
		}
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	modules := rs.AllModules()
	// Compile once the way the engine does, for its explained errors
	// (a forbidden builtin is named with its file:line).
	if _, err := evaluator.Compile(modules); err != nil {
		return nil, err
	}
	compiler := ast.NewCompiler().WithCapabilities(evaluator.Capabilities()).WithEnablePrintStatements(true)
	runner := tester.NewRunner().
		SetCompiler(compiler).
		SetStore(inmem.NewFromObjectWithOpts(rs.Data, inmem.OptRoundTripOnWrite(false))).
		CapturePrintOutput(true).
		RaiseBuiltinErrors(true).
		SetTimeout(opts.Timeout).
		Filter(opts.Run)
	var cov *cover.Cover
	if opts.Coverage {
		cov = cover.New()
		runner.SetCoverageQueryTracer(cov).SetCoverageRuns([]cover.Kind{})
	}
	ch, err := runner.Run(ctx, modules)
	if err != nil {
		return nil, err
	}
	report := &Report{}
	for r := range ch {
		t := Test{Package: r.Package, Name: r.Name, Pass: r.Pass(), Skip: r.Skip, Duration: r.Duration, Output: string(r.Output)}
		if r.Location != nil {
			t.Location = r.Location.String()
		}
		if r.Error != nil {
			t.Error = r.Error.Error()
		}
		if r.FailedAt != nil {
			t.FailedAt = fmt.Sprintf("%s: %s", r.FailedAt.Location, r.FailedAt)
		}
		report.Tests = append(report.Tests, t)
	}
	slices.SortFunc(report.Tests, func(a, b Test) int {
		return cmp.Or(cmp.Compare(a.Location, b.Location), cmp.Compare(a.FullName(), b.FullName()))
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if failed := report.Failed(); len(failed) > 0 {
		explainFailures(ctx, rs, modules, failed, opts.Timeout, report)
	}
	if cov != nil {
		report.Coverage, report.Percent = coverage(cov.Report(rs.Modules), rs.Modules)
	}
	return report, nil
}

// coverage lists the policy modules' coverage by file name; the tests
// themselves are left out, as is a module no test reached (0 %).
func coverage(r cover.Report, modules map[string]*ast.Module) ([]FileCoverage, float64) {
	files := make([]string, 0, len(modules))
	for f := range modules {
		files = append(files, f)
	}
	sort.Strings(files)
	out := make([]FileCoverage, 0, len(files))
	covered, notCovered := 0, 0
	for _, f := range files {
		fr := r.Files[f]
		if fr == nil {
			fr = &cover.FileReport{}
		}
		covered += fr.CoveredLines
		notCovered += fr.NotCoveredLines
		fc := FileCoverage{File: f, Covered: fr.CoveredLines, NotCovered: fr.NotCoveredLines, Percent: fr.Coverage}
		for _, rng := range fr.NotCovered {
			lines := fmt.Sprint(rng.Start.Row)
			if rng.Start.Row != rng.End.Row {
				lines = fmt.Sprintf("%d-%d", rng.Start.Row, rng.End.Row)
			}
			if !slices.Contains(fc.Missed, lines) {
				fc.Missed = append(fc.Missed, lines)
			}
		}
		out = append(out, fc)
	}
	if covered+notCovered == 0 {
		return out, 0
	}
	return out, 100 * float64(covered) / float64(covered+notCovered)
}

// explainFailures runs the failed tests again with a trace and sets, for
// each, the last expression of its file that failed and the values of its
// variables: what the author needs to see first.
func explainFailures(ctx context.Context, rs *ruleset.Ruleset, modules map[string]*ast.Module, failed []Test, timeout time.Duration, report *Report) {
	names := make([]string, len(failed))
	for i, t := range failed {
		names[i] = regexp.QuoteMeta(t.FullName())
	}
	runner := tester.NewRunner().
		SetCompiler(ast.NewCompiler().WithCapabilities(evaluator.Capabilities()).WithEnablePrintStatements(true)).
		SetStore(inmem.NewFromObjectWithOpts(rs.Data, inmem.OptRoundTripOnWrite(false))).
		CapturePrintOutput(true).
		RaiseBuiltinErrors(true).
		SetTimeout(timeout).
		EnableTracing(true).
		Filter("^(" + strings.Join(names, "|") + ")$")
	ch, err := runner.Run(ctx, modules)
	if err != nil {
		return
	}
	at := map[string]string{}
	for r := range ch {
		if r.Location == nil {
			continue
		}
		var last *topdown.Event
		for _, evt := range r.Trace {
			if evt.Op != topdown.FailOp || evt.Location == nil || evt.Location.File != r.Location.File {
				continue
			}
			if _, ok := evt.Node.(*ast.Expr); ok {
				last = evt
			}
		}
		if last != nil {
			at[r.Package+"."+r.Name] = describeFailure(last)
		}
	}
	for i, t := range report.Tests {
		if s, ok := at[t.FullName()]; ok && t.FailedAt == "" {
			report.Tests[i].FailedAt = s
		}
	}
}

// describeFailure writes the failed expression and its variables' values.
func describeFailure(evt *topdown.Event) string {
	expr := evt.Node.(*ast.Expr)
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d: %s", evt.Location.File, evt.Location.Row, strings.TrimSpace(string(evt.Location.Text)))
	seen := map[ast.Var]bool{}
	ast.WalkVars(expr, func(v ast.Var) bool {
		if seen[v] || evt.Locals == nil {
			return false
		}
		seen[v] = true
		val := evt.Locals.Get(v)
		if val == nil {
			return false
		}
		name := string(v)
		if meta, ok := evt.LocalMetadata[v]; ok {
			name = string(meta.Name)
		}
		if strings.HasPrefix(name, "__") || strings.HasPrefix(name, "$") {
			return false
		}
		text := val.String()
		if r := []rune(text); len(r) > 200 {
			text = string(r[:200]) + " …"
		}
		fmt.Fprintf(&b, "\n      %s = %s", name, text)
		return false
	})
	return b.String()
}
