package commands

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/budgetcheck/budgetcheck/evaluator/derive"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

// NewPolicyCommand builds `budgetcheck policy`, the policy author's tools.
func NewPolicyCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "policy",
		Short: "Test, check and document rulesets (for policy authors)",
		Long: `Tools for the people who write the rules: run a ruleset's Rego tests and regression
fixtures (test), check its contract (check), generate its catalogue (docs), and print the
input document its rules see for a submission (input).

Without a DIR each command works on the embedded default ruleset.`,
	}
	cmd.AddCommand(
		NewPolicyTestCommand(),
		NewPolicyCheckCommand(),
		NewPolicyDocsCommand(),
		NewPolicyInputCommand(),
	)
	return cmd
}

// rulesetOptions choose the ruleset(s) a policy command works on: the
// directories given as arguments (or the embedded default) and --data overrides.
func rulesetOptions(dirs, data []string) policyOptions {
	return policyOptions{Policies: dirs, Data: data, Lang: ruleset.LangZh}
}

// NewPolicyInputCommand builds `budgetcheck policy input`.
func NewPolicyInputCommand() *cobra.Command {
	var maxBytes int64
	cmd := &cobra.Command{
		Use:   "input FILE",
		Short: "Print the input document the rules see for a submission",
		Long: `Print, as JSON, the document a rule sees as input for one submission: amounts in integer
fen, each instalment's maintenance share, each assessment cycle with its dates, the fiscal
year's due amounts and arrears per contract, and the path ("at") of every fact.

Use it to write a Rego test's input (with input as {...}) or to try a rule with opa eval.`,
		Example: `  budgetcheck policy input fixtures/qingbaijiang-2021/submission.yaml > input.json
  opa eval -d policies/chengdu -i input.json 'data.budgetcheck.findings.findings'`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runPolicyInput(args[0], maxBytes, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	cmd.Flags().Int64Var(&maxBytes, "max-bytes", submission.DefaultMaxBytes, "refuse submission files larger than this")
	return cmd
}

func runPolicyInput(file string, maxBytes int64, stdout, stderr io.Writer) error {
	sub, err := submission.Load(file, submission.Options{MaxBytes: maxBytes})
	var problems submission.Problems
	if errors.As(err, &problems) {
		for _, p := range problems.In(ruleset.LangZh) {
			fmt.Fprintln(stderr, p)
		}
		return exitCode(ExitInput, nil)
	}
	if err != nil {
		return exitCode(ExitInput, err)
	}
	doc, err := derive.Input(sub)
	if err != nil {
		return exitCode(ExitInput, fmt.Errorf("%s: %w", file, err))
	}
	w := bufio.NewWriter(stdout)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return exitCode(ExitInternal, err)
	}
	return exitCode(ExitOK, w.Flush())
}
