package commands

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/budgetcheck/budgetcheck/evaluator"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
	"github.com/budgetcheck/budgetcheck/policies"
)

// policyOptions choose and tune the ruleset; every command that evaluates shares them.
type policyOptions struct {
	Policies []string
	Data     []string
	Lang     string
	Timeout  time.Duration
}

func (o *policyOptions) addFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringArrayVarP(&o.Policies, "policy", "p", nil, "ruleset directory (or embedded:NAME) to use instead of the embedded one (repeatable)")
	f.StringArrayVar(&o.Data, "data", nil, "YAML/JSON file deep-merged over the ruleset's data (repeatable)")
	f.StringVar(&o.Lang, "lang", ruleset.LangZh, "language of the texts: zh or en")
	f.DurationVar(&o.Timeout, "timeout", evaluator.DefaultTimeout, "longest evaluation of one submission")
}

func (o *policyOptions) validate() error {
	if o.Lang != ruleset.LangZh && o.Lang != ruleset.LangEn {
		return fmt.Errorf("--lang %q: use zh or en", o.Lang)
	}
	return nil
}

// loadRuleset reads the rulesets named by --policy (or the embedded default)
// and the --data overrides.
func loadRuleset(o policyOptions) (*ruleset.Ruleset, error) {
	sources := []ruleset.Source{{FS: policies.FS, Dir: policies.Default, Display: "embedded:" + policies.Default}}
	if len(o.Policies) > 0 {
		sources = nil
		for _, dir := range o.Policies {
			if name, ok := strings.CutPrefix(dir, "embedded:"); ok {
				if st, err := fs.Stat(policies.FS, name); err != nil || !st.IsDir() {
					return nil, fmt.Errorf("--policy %s: no embedded ruleset %q", dir, name)
				}
				sources = append(sources, ruleset.Source{FS: policies.FS, Dir: name, Display: dir})
				continue
			}
			if st, err := os.Stat(dir); err != nil || !st.IsDir() {
				return nil, fmt.Errorf("--policy %s: not a directory", dir)
			}
			sources = append(sources, ruleset.Source{FS: os.DirFS(dir), Dir: ".", Display: filepath.ToSlash(filepath.Clean(dir))})
		}
	}
	var overrides []ruleset.Source
	for _, file := range o.Data {
		dir, name := filepath.Split(file)
		if dir == "" {
			dir = "."
		}
		overrides = append(overrides, ruleset.Source{FS: os.DirFS(dir), Dir: name, Display: file})
	}
	rs, err := ruleset.Load(sources, overrides)
	var bad ruleset.DataErrors
	if errors.As(err, &bad) {
		// data of the wrong type or range: every value, with its file and line
		return nil, errors.New(bad.In(o.Lang))
	}
	return rs, err
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
	return evaluator.New(ctx, rs, evaluator.Options{Lang: o.Lang, Timeout: o.Timeout})
}
