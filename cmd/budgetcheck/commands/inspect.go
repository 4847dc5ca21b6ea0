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

type inspectOptions struct {
	Input      string
	MaxBytes   int64
	FiscalYear int
	Lang       string
}

// NewInspectCommand builds `budgetcheck inspect`.
func NewInspectCommand() *cobra.Command {
	var o inspectOptions
	cmd := &cobra.Command{
		Use:   "inspect FILE",
		Short: "Print the normalised input document the policies see",
		Long: `Load a submission, validate it and print, as JSON, the input document the policies
evaluate (schema budgetcheck.input/v1): amounts in integer fen, assessment cycles with their
dates, each contract's sums for the fiscal year and the path ("at") of every fact.

Use it to debug a policy, to write policy tests, or to run the same Rego with other tools
(opa eval --input, conftest). A workbook holding several submissions prints an array.

The file is the argument, or --input FILE (as conftest and opa name it).

Exit codes: 0 on success, 2 when the submission does not load.`,
		Example: `  budgetcheck inspect fixtures/qingbaijiang-2021/submission.yaml > input.json
  opa eval -d policies/chengdu -d data.json -i input.json data.budgetcheck.main.result`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch {
			case len(args) == 1 && o.Input != "" && args[0] != o.Input:
				return exitCode(ExitInput, fmt.Errorf("two files (%s and --input %s): inspect reads one", args[0], o.Input))
			case len(args) == 1:
				o.Input = args[0]
			case o.Input == "":
				return exitCode(ExitInput, errors.New("no file: budgetcheck inspect FILE"))
			}
			if o.Lang != ruleset.LangZh && o.Lang != ruleset.LangEn {
				return exitCode(ExitInput, fmt.Errorf("--lang %q: use zh or en", o.Lang))
			}
			if err := applyConfigFlags(cmd, "fiscal-year"); err != nil {
				return exitCode(ExitInput, err)
			}
			return runInspect(o, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	cmd.Flags().StringVarP(&o.Input, "input", "i", "", "the submission file (or give it as the argument)")
	cmd.Flags().Int64Var(&o.MaxBytes, "max-bytes", submission.DefaultMaxBytes, "refuse submission files larger than this")
	cmd.Flags().StringVar(&o.Lang, "lang", ruleset.LangZh, "language of the input errors: zh or en")
	addFiscalYearFlag(cmd, &o.FiscalYear)
	return cmd
}

func runInspect(o inspectOptions, stdout, stderr io.Writer) error {
	var subs []*submission.Submission
	var err error
	if workbooks.IsWorkbook != nil && workbooks.IsWorkbook(o.Input) {
		subs, err = workbooks.Load(o.Input, o.FiscalYear)
	} else {
		var sub *submission.Submission
		if sub, err = submission.Load(o.Input, submission.Options{MaxBytes: o.MaxBytes}); err == nil {
			subs = append(subs, sub)
		}
	}
	if err == nil && len(subs) == 0 {
		err = fmt.Errorf("%s: the file holds no submission", o.Input)
	}
	var docs []any
	for _, sub := range subs {
		if err != nil {
			break
		}
		var doc derive.Doc
		if doc, err = derive.Input(sub); err != nil {
			err = fmt.Errorf("%s: %w", sub.File, err)
		}
		docs = append(docs, doc)
	}
	if err != nil {
		var problems submission.Problems
		if errors.As(err, &problems) {
			for _, p := range problems.In(o.Lang) {
				fmt.Fprintln(stderr, p)
			}
			return exitCode(ExitInput, nil)
		}
		return exitCode(ExitInput, err)
	}
	w := bufio.NewWriter(stdout)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	var v any = docs
	if len(docs) == 1 {
		v = docs[0]
	}
	if err := enc.Encode(v); err != nil {
		return exitCode(ExitInternal, err)
	}
	if err := w.Flush(); err != nil {
		return exitCode(ExitInternal, err)
	}
	return nil
}
