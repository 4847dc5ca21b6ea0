package commands

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/budgetcheck/budgetcheck/evaluator"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
)

// NewPolicyCheckCommand builds `budgetcheck policy check`.
func NewPolicyCheckCommand() *cobra.Command {
	var data []string
	cmd := &cobra.Command{
		Use:   "check [DIR...]",
		Short: "Check a ruleset's contract: compile errors, metadata, codes, grades, bands, manifest",
		Long: `Load and compile a ruleset (the embedded default when no DIR is given) in the sandbox and
check what it promises, listing every problem at once:

  - Rego syntax and compile errors, as file:line:col;
  - a call to a builtin outside the sandbox (http.send, net.*, opa.runtime, time.now_ns,
    rand.*, uuid.*), with the builtin's name and file:line;
  - every finding rule has # METADATA with custom.code, severity, title and basis, its code
    is unique, has a message in params.findings, and is the code the rule emits;
  - every indicator of params.indicators has a measures rule, grades with points within
    0..max, and a last grade without bounds; its finding_codes are declared;
  - every basic item has its satisfied rule; the last conclusion band has no condition;
  - the manifest gives name, version, region, fiscal years and documents;
  - the data, with any --data file merged over it, matches the ruleset's data.schema.json
    (types, ranges, required keys): each value that does not is named with the file and
    line that set it, e.g. district.yaml:4: params.payment.lag_days.

budgetcheck makes the same checks whenever it loads a ruleset. Exit 0 when the ruleset is
sound, 2 with the list of problems.`,
		Example: `  budgetcheck policy check
  budgetcheck policy check ./policies/chengdu --data district.yaml
  budgetcheck policy check policies/*/`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return runPolicyCheck(cmd.Context(), rulesetOptions(nil, data), cmd.OutOrStdout())
			}
			// Each DIR is a ruleset of its own; every problem of every one is listed.
			var errs []error
			for _, dir := range args {
				if err := runPolicyCheck(cmd.Context(), rulesetOptions([]string{dir}, data), cmd.OutOrStdout()); err != nil {
					errs = append(errs, err)
				}
			}
			if len(errs) > 0 {
				return exitCode(ExitInput, errors.Join(errs...))
			}
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&data, "data", nil, "YAML/JSON file deep-merged over the ruleset's data (repeatable)")
	return cmd
}

func runPolicyCheck(ctx context.Context, o policyOptions, stdout io.Writer) error {
	if ctx == nil {
		ctx = context.Background()
	}
	o.tests = true
	rs, err := loadRuleset(o)
	if err != nil {
		return exitCode(ExitInput, fmt.Errorf("ruleset check failed:\n%s", ruleset.FormatErrors(err)))
	}
	// The tests must compile too: a policy author runs them next.
	if _, err := evaluator.Compile(rs.AllModules()); err != nil {
		return exitCode(ExitInput, fmt.Errorf("ruleset %s does not compile:\n%s", rs.Source, ruleset.FormatErrors(err)))
	}
	if _, err := evaluator.New(ctx, rs, evaluator.Options{}); err != nil {
		return exitCode(ExitInput, fmt.Errorf("ruleset %s: %s", rs.Source, ruleset.FormatErrors(err)))
	}
	m := rs.Manifest
	fmt.Fprintf(stdout, "%s: ok — %s %s (%s, fiscal years %d–%d): %d modules, %d test modules, %d indicators, %d findings, %d basic items\n",
		rs.Source, m.Name, m.Version, m.Region, m.FiscalYears.From, m.FiscalYears.To,
		len(rs.Modules), len(rs.TestModules), len(rs.Catalog.Indicators), len(rs.Catalog.Findings), len(rs.Catalog.Basic))
	return nil
}
