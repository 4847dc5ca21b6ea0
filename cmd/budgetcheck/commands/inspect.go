package commands

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/budgetcheck/budgetcheck/evaluator/derive"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

type inspectOptions struct {
	Input      string
	MaxBytes   int64
	FiscalYear int
}

// NewInspectCommand builds `budgetcheck inspect`.
func NewInspectCommand() *cobra.Command {
	var o inspectOptions
	cmd := &cobra.Command{
		Use:   "inspect --input FILE",
		Short: "Print the normalised input document the policies see",
		Long: `Load a submission, validate it and print, as JSON, the input document the policies
evaluate (schema budgetcheck.input/v1): amounts in integer fen, assessment cycles with their
dates, each contract's sums for the fiscal year and the path ("at") of every fact.

Use it to debug a policy, to write policy tests, or to run the same Rego with other tools
(opa eval --input, conftest). A workbook holding several submissions prints an array.

Exit codes: 0 on success, 2 when the submission does not load.`,
		Example: `  budgetcheck inspect --input fixtures/qingbaijiang-2021/submission.yaml > input.json
  opa eval -d policies/chengdu -d data.json -i input.json data.budgetcheck.main.result`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := applyConfigFlags(cmd, "fiscal-year"); err != nil {
				return exitCode(ExitInput, err)
			}
			return runInspect(o, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	cmd.Flags().StringVarP(&o.Input, "input", "i", "", "the submission file (required)")
	cmd.Flags().Int64Var(&o.MaxBytes, "max-bytes", submission.DefaultMaxBytes, "refuse submission files larger than this")
	addFiscalYearFlag(cmd, &o.FiscalYear)
	_ = cmd.MarkFlagRequired("input")
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
			for _, p := range problems {
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
