package commands

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/budgetcheck/budgetcheck/evaluator"
	"github.com/budgetcheck/budgetcheck/evaluator/output"
	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/schedule"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

type scheduleOptions struct {
	policyOptions
	From, To     int
	Format       string
	Output       string
	AsContracted bool
}

// NewScheduleCommand builds `budgetcheck schedule`.
func NewScheduleCommand() *cobra.Command {
	var o scheduleOptions
	cmd := &cobra.Command{
		Use:   "schedule FILE",
		Short: "Print the contracts' payments by year (表2, Table 2 of the report)",
		Long: `Evaluate one submission and print 表2 (Table 2) of the evaluation report: one row per
contract with its payments by year, the row total checked against the contract total,
column totals, and the fiscal year's column reconciled with the recommended budget.

By default the table shows the recommended plan, from the same evaluation as 'check':
cycles fall in the year they can be assessed and paid (end + params.payment.lag_days),
arrears move into the fiscal year, prepaid maintenance moves out of it. --as-contracted
shows the contracts' own terms. Payments without a year (an instalment with only a
trigger, a deferred share) are in the column 未定期 and count in the row total; a row
whose payments do not add up to its contract total is marked in the 核对 column.

Exit codes: 0 when the table is written, 2 on bad input or usage, 3 on an internal error.`,
		Example: `  budgetcheck schedule fixtures/qingbaijiang-2021/submission.yaml
  budgetcheck schedule --as-contracted --from 2020 --to 2024 submission.yaml
  budgetcheck schedule --format csv -o table1.csv submission.yaml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSchedule(cmd.Context(), o, args[0], cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	o.addFlags(cmd)
	f := cmd.Flags()
	f.IntVar(&o.From, "from", 0, "first year column (default: the first year with a payment)")
	f.IntVar(&o.To, "to", 0, "last year column (default: the last year with a payment)")
	f.StringVarP(&o.Format, "format", "f", "text", "output format: "+strings.Join(schedule.Formats, ", "))
	f.StringVarP(&o.Output, "output", "o", "", "write to this file (atomically) instead of stdout")
	f.BoolVar(&o.AsContracted, "as-contracted", false, "show the contracts' own terms instead of the recommended plan")
	return cmd
}

func runSchedule(ctx context.Context, o scheduleOptions, file string, stdout, stderr io.Writer) error {
	if !slices.Contains(schedule.Formats, o.Format) {
		return exitCode(ExitInput, fmt.Errorf("--format %q: use one of %s", o.Format, strings.Join(schedule.Formats, ", ")))
	}
	if o.From != 0 && o.To != 0 && o.From > o.To {
		return exitCode(ExitInput, fmt.Errorf("--from %d is after --to %d", o.From, o.To))
	}
	if err := prepareOutputFile("--output", o.Output); err != nil {
		return exitCode(ExitInput, err)
	}
	sub, doc, _, err := evaluateDocument(ctx, o.policyOptions, file, stderr)
	if err != nil {
		return err
	}
	t, err := schedule.Build(doc, schedule.Options{From: o.From, To: o.To, AsContracted: o.AsContracted, Lang: o.Lang, Subprojects: subprojectNames(sub)})
	if err != nil {
		return exitCode(ExitInternal, err)
	}
	return writeDocument(o.Output, stdout, func(w *bufio.Writer) error { return t.Write(w, o.Format, o.Lang) })
}

// evaluateDocument loads and evaluates one submission for the commands that
// write documents from it. Problems with the file are printed to stderr.
func evaluateDocument(ctx context.Context, o policyOptions, file string, stderr io.Writer) (*submission.Submission, *result.Document, *evaluator.Engine, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	o.schedule = true // both the report and the schedule show it
	engine, err := newEngine(ctx, o)
	if err != nil {
		return nil, nil, nil, exitCode(ExitInput, fmt.Errorf("ruleset: %w", err))
	}
	sub, err := submission.Load(file, submission.Options{})
	if err == nil {
		var doc *result.Document
		if doc, err = engine.Evaluate(ctx, sub); err == nil {
			return sub, doc, engine, nil
		}
	}
	var problems submission.Problems
	if errors.As(err, &problems) {
		for _, p := range problems.In(o.Lang) {
			fmt.Fprintln(stderr, p)
		}
		return nil, nil, nil, exitCode(ExitInput, nil)
	}
	// a policy that fails at run time or times out
	fmt.Fprintln(stderr, evaluationError(file, err))
	return nil, nil, nil, exitCode(ExitInternal, nil)
}

func subprojectNames(sub *submission.Submission) map[string]string {
	names := make(map[string]string, len(sub.Subprojects))
	for _, sp := range sub.Subprojects {
		names[sp.ID] = sp.Name
	}
	return names
}

// writeDocument writes to path atomically, or to stdout when path is empty.
func writeDocument(path string, stdout io.Writer, write func(*bufio.Writer) error) error {
	var err error
	if path != "" {
		err = output.WriteFile(path, write)
	} else {
		w := bufio.NewWriter(stdout)
		if err = write(w); err == nil {
			err = w.Flush()
		}
	}
	if err != nil {
		return exitCode(ExitInternal, err)
	}
	return nil
}
