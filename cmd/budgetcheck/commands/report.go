package commands

import (
	"bufio"
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	evalreport "github.com/budgetcheck/budgetcheck/evaluator/report"
	"github.com/budgetcheck/budgetcheck/evaluator/schedule"
)

type reportOptions struct {
	policyOptions
	Format string
	Output string
}

// NewReportCommand builds `budgetcheck report`.
func NewReportCommand() *cobra.Command {
	var o reportOptions
	cmd := &cobra.Command{
		Use:   "report FILE",
		Short: "Write the evaluation report (HTML or Markdown) a finance bureau files",
		Long: `Evaluate one submission and write the evaluation report in the structure of the
bureau's reports: 一、评估对象 (from the submission's facts), 二、评估方式和方法 (texts from the
ruleset's params.report), 三、评估内容与结论 (basic assessment, the indicator table with
grades, points and reasons, a bar chart of points against maximum, the score and the
conclusion), 四、存在的问题与建议 (findings by theme with their budget adjustments, the
adjusted budget table) and the contracts' payments by year (as 'budgetcheck schedule').

Every figure comes from the same single evaluation as 'check', so the report reconciles.
HTML is one self-contained file (inline CSS and SVG, no scripts, nothing fetched) laid
out for A4 printing; Markdown carries the same content. The title and the method texts
are data: edit params.report in the ruleset, or override it with --data.

Exit codes: 0 when the report is written, 2 on bad input or usage, 3 on an internal error.`,
		Example: `  budgetcheck report fixtures/qingbaijiang-2021/submission.yaml -o report.html
  budgetcheck report --format md --lang en submission.yaml > report.md
  budgetcheck report --data bureau-texts.yaml submission.yaml -o report.html`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runReport(cmd.Context(), o, args[0], cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	o.addFlags(cmd)
	cmd.Flags().StringVarP(&o.Format, "format", "f", "html", "output format: html or md")
	cmd.Flags().StringVarP(&o.Output, "output", "o", "", "write the report to this file (atomically) instead of stdout")
	return cmd
}

func runReport(ctx context.Context, o reportOptions, file string, stdout, stderr io.Writer) error {
	if o.Format != "html" && o.Format != "md" {
		return exitCode(ExitInput, fmt.Errorf("--format %q: use html or md", o.Format))
	}
	if ctx == nil {
		ctx = context.Background()
	}
	if err := prepareOutputFile("--output", o.Output); err != nil {
		return exitCode(ExitInput, err)
	}
	sub, doc, engine, err := evaluateDocument(ctx, o.policyOptions, file, stderr)
	if err != nil {
		return err
	}
	texts, err := evalreport.LoadTexts(engine.Ruleset().Data)
	if err != nil {
		return exitCode(ExitInput, fmt.Errorf("ruleset: %w", err))
	}
	table, err := schedule.Build(doc, schedule.Options{Lang: o.Lang, Subprojects: subprojectNames(sub)})
	if err != nil {
		return exitCode(ExitInternal, err)
	}
	r, err := evalreport.Build(sub, doc, table, evalreport.Options{Lang: o.Lang, Texts: texts})
	if err != nil {
		return exitCode(ExitInternal, err)
	}
	return writeDocument(o.Output, stdout, func(w *bufio.Writer) error {
		if o.Format == "md" {
			return r.Markdown(w)
		}
		return r.HTML(w)
	})
}
