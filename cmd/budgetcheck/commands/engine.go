package commands

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/budgetcheck/budgetcheck/evaluator"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
	"github.com/budgetcheck/budgetcheck/policies"
)

// policyOptions choose and tune the ruleset; every command that evaluates shares them.
type policyOptions struct {
	// Ruleset names an embedded ruleset (chengdu, target-review) to use for
	// every submission instead of choosing by the input.
	Ruleset  string
	Policies []string
	Data     []string
	Lang     string
	Timeout  time.Duration
	// schedule: the command shows the contracts' payment plan, which the
	// engine then evaluates too (evaluator.Options.Schedule).
	schedule bool
	// tests: the command runs or compiles the ruleset's *_test.rego (policy
	// test, policy check); every other command loads the ruleset without them.
	tests bool
}

func (o *policyOptions) addFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&o.Ruleset, "ruleset", "", "embedded ruleset for every submission: "+strings.Join(policies.Rulesets, " or ")+" (default: chosen by the input: a 申报表 gets the target review)")
	f.StringArrayVarP(&o.Policies, "policy", "p", nil, "ruleset directory to use instead of the embedded ones (repeatable)")
	f.StringArrayVar(&o.Data, "data", nil, "YAML/JSON file deep-merged over the ruleset's data (repeatable)")
	f.StringVar(&o.Lang, "lang", ruleset.LangZh, "language of the texts: zh or en")
	f.DurationVar(&o.Timeout, "timeout", evaluator.DefaultTimeout, "longest evaluation of one submission")
}

func (o *policyOptions) validate() error {
	if o.Lang != ruleset.LangZh && o.Lang != ruleset.LangEn {
		return fmt.Errorf("--lang %q: use zh or en", o.Lang)
	}
	if o.Ruleset != "" && len(o.Policies) > 0 {
		return fmt.Errorf("--ruleset %s and --policy: give one of them", o.Ruleset)
	}
	return nil
}

// embeddedRuleset returns the directory of the embedded ruleset called name:
// its directory (target-review), its manifest name (chengdu-target-review)
// or its procedure (target_review).
func embeddedRuleset(name string) (string, error) {
	for _, dir := range policies.Rulesets {
		if name == dir {
			return dir, nil
		}
	}
	for _, dir := range policies.Rulesets {
		rs, err := ruleset.LoadPolicies([]ruleset.Source{policies.Source(dir)}, nil)
		if err == nil && (rs.Manifest.Name == name || evaluator.ProcedureOf(rs) == name) {
			return dir, nil
		}
	}
	return "", fmt.Errorf("--ruleset %q: no such embedded ruleset; use %s", name, strings.Join(policies.Rulesets, " or "))
}

// loadRuleset reads the rulesets named by --policy (or the embedded default)
// and the --data overrides.
func loadRuleset(o policyOptions) (*ruleset.Ruleset, error) {
	dir := policies.Default
	if o.Ruleset != "" {
		var err error
		if dir, err = embeddedRuleset(o.Ruleset); err != nil {
			return nil, err
		}
	}
	sources := []ruleset.Source{policies.Source(dir)}
	if len(o.Policies) > 0 {
		sources = nil
		for _, dir := range o.Policies {
			src, err := dirSource(dir)
			if err != nil {
				return nil, err
			}
			sources = append(sources, src)
		}
	}
	return load(sources, o)
}

// load reads a ruleset with the --data overrides, and its tests only when
// the command asks for them. Data of the wrong type or range is reported
// value by value, with its file and line, in --lang.
func load(sources []ruleset.Source, o policyOptions) (*ruleset.Ruleset, error) {
	read := ruleset.LoadPolicies
	if o.tests {
		read = ruleset.Load
	}
	rs, err := read(sources, dataOverrides(o))
	var bad ruleset.DataErrors
	if errors.As(err, &bad) {
		return nil, errors.New(bad.In(o.Lang))
	}
	return rs, err
}

func dataOverrides(o policyOptions) []ruleset.Source {
	var overrides []ruleset.Source
	for _, file := range o.Data {
		dir, name := filepath.Split(file)
		if dir == "" {
			dir = "."
		}
		overrides = append(overrides, ruleset.Source{FS: os.DirFS(dir), Dir: name, Display: file})
	}
	return overrides
}

// newEngines prepares the engines check, batch and inspect evaluate with:
// with --ruleset or --policy the one ruleset for every submission, else one
// engine per embedded ruleset, chosen per submission by evaluator.Procedure.
// Each engine's query is prepared once per process.
func newEngines(ctx context.Context, o policyOptions) (*evaluator.Engines, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	opts := evaluator.Options{Lang: o.Lang, Timeout: o.Timeout, Schedule: o.schedule}
	if o.Ruleset != "" || len(o.Policies) > 0 {
		eng, err := newEngine(ctx, o)
		if err != nil {
			return nil, err
		}
		return evaluator.Fixed(eng), nil
	}
	// The rulesets are read side by side (each parses its Rego on every CPU).
	sets := make([]*ruleset.Ruleset, len(policies.Rulesets))
	errs := make([]error, len(policies.Rulesets))
	var wg sync.WaitGroup
	for i, dir := range policies.Rulesets {
		wg.Go(func() { sets[i], errs[i] = load([]ruleset.Source{policies.Source(dir)}, o) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return evaluator.NewEngines(sets, opts)
}

// dirSource reads a ruleset directory. It is opened from the folder above it,
// so that the libraries its manifest names (lib/targets) are found beside it,
// as in policies/; a copy elsewhere takes them from the embedded policies.
func dirSource(dir string) (ruleset.Source, error) {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return ruleset.Source{}, fmt.Errorf("--policy %s: not a directory", dir)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ruleset.Source{}, fmt.Errorf("--policy %s: %w", dir, err)
	}
	return ruleset.Source{
		FS:       os.DirFS(filepath.Dir(abs)),
		Dir:      filepath.Base(abs),
		Display:  filepath.ToSlash(filepath.Clean(dir)),
		Fallback: policies.FS,
	}, nil
}

// newEngine loads the ruleset and prepares its query: once per process.
func newEngine(ctx context.Context, o policyOptions) (*evaluator.Engine, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	rs, err := loadRuleset(o)
	if err != nil {
		return nil, err
	}
	return evaluator.New(ctx, rs, evaluator.Options{Lang: o.Lang, Timeout: o.Timeout, Schedule: o.schedule})
}

// startupGC makes the collector run less often (GOGC 400) and returns what
// sets it back; with GOGC set in the environment it changes nothing.
func startupGC() (restore func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	prev := debug.SetGCPercent(400)
	return func() { debug.SetGCPercent(prev) }
}
