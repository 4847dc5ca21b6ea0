package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/budgetcheck/budgetcheck/evaluator"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

// explainOptions is check's --explain.
type explainOptions struct {
	Explain string
}

func (o *explainOptions) addExplainFlag(cmd *cobra.Command) {
	cmd.Flags().StringVar(&o.Explain, "explain", "", "explain one indicator or finding (e.g. target.completeness, ASSESSMENT_CYCLE_UNPAYABLE): the facts its rules read and the values they computed, on stderr")
}

// explainFiles writes, for each submission, how the indicator or finding
// called code came about. Files that do not load are left to the check.
func explainFiles(ctx context.Context, engines *evaluator.Engines, code string, files []string, maxBytes int64, w io.Writer) error {
	for _, file := range files {
		sub, err := submission.Load(file, submission.Options{MaxBytes: maxBytes})
		if err != nil {
			continue
		}
		engine, err := engines.For(ctx, sub)
		if err != nil {
			return err
		}
		x, err := engine.Explain(ctx, sub, code)
		var problems submission.Problems
		switch {
		case errors.As(err, &problems):
			continue
		case err != nil:
			return err
		}
		writeExplanation(w, file, x)
	}
	return nil
}

func writeExplanation(w io.Writer, file string, x *evaluator.Explanation) {
	fmt.Fprintf(w, "== %s %s (%s) — %s\n", x.Kind, x.Code, x.Title, file)
	fmt.Fprintf(w, "rules: %s\n", strings.Join(x.Rules, ", "))
	fmt.Fprintln(w, "reads:")
	for _, r := range x.Reads {
		fmt.Fprintf(w, "  %s\n", r)
	}
	for i, sol := range x.Solutions {
		if len(x.Solutions) > 1 {
			fmt.Fprintf(w, "values (%d of %d):\n", i+1, len(x.Solutions))
		} else {
			fmt.Fprintln(w, "values:")
		}
		for _, b := range sol {
			fmt.Fprintf(w, "  %s = %s\n", b.Name, b.Value)
		}
	}
	if ind := x.Indicator; ind != nil {
		if !ind.Applicable {
			fmt.Fprintln(w, "not applicable: the rule found none of the facts it needs")
		} else {
			fmt.Fprintln(w, "grades:")
			for _, g := range x.Grades {
				fmt.Fprintf(w, "  %s\n", g)
			}
			fmt.Fprintf(w, "measure %v → %s → %s of %s points\n", x.Measure, ind.Grade, ind.Score, ind.Max)
			fmt.Fprintf(w, "reason: %s\n", ind.Reason)
		}
	}
	if x.Kind == "finding" {
		if len(x.Findings) == 0 {
			fmt.Fprintln(w, "no finding of this code: the rule's conditions do not all hold")
		}
		for _, f := range x.Findings {
			fmt.Fprintf(w, "finding %s at %s:%d:%d (%s): %s\n", f.Subject, f.Location.File, f.Location.Line, f.Location.Column, f.Severity, f.Message)
			for _, a := range f.Adjustments {
				fmt.Fprintf(w, "  adjust %s by %s\n", a.Line, a.Amount)
			}
		}
	}
}
