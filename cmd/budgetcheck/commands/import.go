package commands

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/budgetcheck/budgetcheck/evaluator/output"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
	"github.com/budgetcheck/budgetcheck/evaluator/xlsximport"
)

// batch and inspect read workbooks through the importer: each project of a
// workbook is one submission (Options{}: the fiscal year from the sheets or the
// file name). A workbook with a project that cannot be read is one error row.
func init() {
	workbooks.IsWorkbook = xlsximport.IsWorkbook
	workbooks.Load = func(path string) ([]*submission.Submission, error) {
		return xlsximport.Load(path, xlsximport.Options{})
	}
}

// NewImportCommand builds `budgetcheck import`, one subcommand per format.
func NewImportCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import",
		Short: "Convert other formats into budgetcheck/v1 submissions",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(NewImportXLSXCommand())
	return cmd
}

type importXLSXOptions struct {
	Dir        string
	FiscalYear int
	MaxBytes   int64
}

// NewImportXLSXCommand builds `budgetcheck import xlsx`.
func NewImportXLSXCommand() *cobra.Command {
	var o importXLSXOptions
	cmd := &cobra.Command{
		Use:   "xlsx FILE",
		Short: "Convert a 绩效目标申报表 workbook into one submission per project",
		Long: `Read a performance-target workbook exported by the budget management system
(二级项目支出绩效目标申报表) and write one budgetcheck/v1 YAML submission per project
into --output DIR (default: a folder named after the workbook, beside it:
2022年申报表.xlsx → 2022年申报表/), named after the project's 项目编码 (or its sheet when the code is
damaged or shared). Both layouts are read: one sheet per project (labels such as
"项目编码：" found wherever they stand, then the indicator table), and the flat
export (a project list and an indicator list linked by 项目编码).

The submissions carry the project's texts, its request (本年度项目金额) and its
targets; each value's comment names the cell it came from. What the import had to
interpret (trimmed line breaks and spaces, a 项目编码 that lost digits in scientific
notation, blank indicator rows, an inferred fiscal year …) is printed as a warning
and listed at the head of the file.

Exit codes: 0 when every project was imported, 2 when the workbook or a project
cannot be read (the others are still written).`,
		Example: `  # one YAML per sheet into ./submissions, then check them
  budgetcheck import xlsx 2022年绩效目标申报表.xlsx -o submissions
  budgetcheck check submissions/*.yaml

  # a flat export that does not say its year
  budgetcheck import xlsx export.xlsx --fiscal-year 2022 -o submissions`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runImportXLSX(o, args[0], cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.Dir, "output", "o", "", "directory to write the submissions to (default: beside the workbook, named after it)")
	f.IntVar(&o.FiscalYear, "fiscal-year", 0, "the year the budget is for (default: from the title, 实施期限 or file name)")
	f.Int64Var(&o.MaxBytes, "max-bytes", xlsximport.DefaultMaxBytes, "refuse workbooks larger than this")
	return cmd
}

func runImportXLSX(o importXLSXOptions, file string, stdout, stderr io.Writer) error {
	wb, err := xlsximport.Import(file, xlsximport.Options{FiscalYear: o.FiscalYear, MaxBytes: o.MaxBytes})
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
	if o.Dir == "" {
		o.Dir = strings.TrimSuffix(file, filepath.Ext(file))
		if o.Dir == file {
			o.Dir = file + ".submissions"
		}
	}
	if err := prepareOutputDir("--output", o.Dir); err != nil {
		return exitCode(ExitInput, err)
	}
	code := ExitOK
	for _, w := range wb.Warnings {
		fmt.Fprintln(stderr, "warning:", w)
	}
	for _, p := range wb.Projects {
		for _, w := range p.Warnings {
			fmt.Fprintln(stderr, "warning:", w)
		}
		if len(p.Problems) > 0 {
			for _, pr := range p.Problems {
				fmt.Fprintln(stderr, pr)
			}
			code = ExitInput
			continue
		}
		data, err := xlsximport.Marshal(p)
		if err != nil {
			return exitCode(ExitInternal, err)
		}
		path := filepath.Join(o.Dir, p.Name()+".yaml")
		err = output.WriteFile(path, func(w *bufio.Writer) error {
			_, err := w.Write(data)
			return err
		})
		if err != nil {
			return exitCode(ExitInternal, err)
		}
		fmt.Fprintf(stdout, "%s\t%s\t%d targets\t%d warnings\n", path, p.Submission.Project.Name, len(p.Submission.Targets), len(p.Warnings))
	}
	return exitCode(code, nil)
}
