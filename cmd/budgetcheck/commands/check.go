package commands

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/budgetcheck/budgetcheck/evaluator"
	"github.com/budgetcheck/budgetcheck/evaluator/output"
	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

type checkOptions struct {
	policyOptions
	Format   string
	Output   string
	MaxBytes int64
}

// NewCheckCommand builds `budgetcheck check`.
func NewCheckCommand() *cobra.Command {
	var o checkOptions
	cmd := &cobra.Command{
		Use:   "check FILE...",
		Short: "Evaluate budget submissions and print the result",
		Long: `Evaluate each submission (YAML or JSON, schema budgetcheck/v1) with the ruleset and
print the basic assessment, the indicator scores, the findings, the recommended budget and
the conclusion.

Exit codes: 0 when every submission is 予以支持 or 调整后予以支持 with no error finding
left, 1 when one has error findings or is 不予支持, 2 on bad input or usage, 3 on an
internal error.`,
		Example: `  # the seed case, in Chinese on the terminal
  budgetcheck check fixtures/qingbaijiang-2021/submission.yaml

  # the result document for CI, in English
  budgetcheck check --format json --lang en submission.yaml > result.json

  # a regional variant of the rules
  budgetcheck check --policy ./policies/chengdu --data district.yaml submission.yaml`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCheck(cmd.Context(), o, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	o.addFlags(cmd)
	cmd.Flags().StringVarP(&o.Format, "format", "f", "text", "output format: "+joinFormats())
	cmd.Flags().StringVarP(&o.Output, "output", "o", "", "write the output to this file (atomically) instead of stdout")
	cmd.Flags().Int64Var(&o.MaxBytes, "max-bytes", submission.DefaultMaxBytes, "refuse submission files larger than this")
	return cmd
}

func joinFormats() string {
	s := ""
	for i, f := range output.Formats() {
		if i > 0 {
			s += ", "
		}
		s += f
	}
	return s
}

func runCheck(ctx context.Context, o checkOptions, files []string, stdout, stderr io.Writer) error {
	if ctx == nil {
		ctx = context.Background()
	}
	out, err := output.Get(o.Format, output.Options{Lang: o.Lang})
	if err != nil {
		return exitCode(ExitInput, err)
	}
	engine, err := newEngine(ctx, o.policyOptions)
	if err != nil {
		return exitCode(ExitInput, fmt.Errorf("ruleset: %w", err))
	}
	code := ExitOK
	docs := make([]*result.Document, 0, len(files))
	for _, file := range files {
		doc, fileCode := checkFile(ctx, engine, file, o.MaxBytes, stderr)
		code = max(code, fileCode)
		docs = append(docs, doc)
	}
	write := func(w *bufio.Writer) error { return out.Write(w, docs) }
	if o.Output != "" {
		err = output.WriteFile(o.Output, write)
	} else {
		w := bufio.NewWriter(stdout)
		if err = write(w); err == nil {
			err = w.Flush()
		}
	}
	if err != nil {
		return exitCode(ExitInternal, err)
	}
	return exitCode(code, nil)
}

// checkFile loads and evaluates one submission. Problems with the file are
// printed to stderr and kept in the document.
func checkFile(ctx context.Context, engine *evaluator.Engine, file string, maxBytes int64, stderr io.Writer) (*result.Document, int) {
	sub, err := submission.Load(file, submission.Options{MaxBytes: maxBytes})
	if err == nil {
		var doc *result.Document
		if doc, err = engine.Evaluate(ctx, sub); err == nil {
			if doc.Failed() {
				return doc, ExitFail
			}
			return doc, ExitOK
		}
	}
	doc := &result.Document{Schema: result.Schema, File: file, Lang: engine.Lang()}
	var problems submission.Problems
	if errors.As(err, &problems) {
		for _, p := range problems {
			fmt.Fprintln(stderr, p)
		}
		doc.Errors = problems
		return doc, ExitInput
	}
	fmt.Fprintln(stderr, err)
	doc.Errors = submission.Problems{{Code: "evaluation_error", Pos: submission.Pos{File: file}, Message: err.Error()}}
	return doc, ExitInternal
}
