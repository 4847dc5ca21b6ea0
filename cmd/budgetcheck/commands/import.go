package commands

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/budgetcheck/budgetcheck/evaluator/batch"
	"github.com/budgetcheck/budgetcheck/evaluator/output"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
	"github.com/budgetcheck/budgetcheck/evaluator/xlsximport"
)

// importing bounds the workbooks read at once, whatever the number of
// workers: reading one costs up to about 100 MB (a sheet part at the 16 MB
// limit), evaluating its projects little.
var importing = make(chan struct{}, 2)

// batch, check and inspect read workbooks through the importer: each
// project of a workbook is one submission, and one that cannot be read is
// an error row of its own. The workbook's own warnings (sheets skipped …)
// go with its first project.
func init() {
	workbooks.IsWorkbook = xlsximport.IsWorkbook
	workbooks.Projects = func(path string, year int) ([]batch.Project, error) {
		importing <- struct{}{}
		wb, err := xlsximport.Import(path, xlsximport.Options{FiscalYear: year})
		<-importing
		if err != nil {
			return nil, err
		}
		out := make([]batch.Project, len(wb.Projects))
		for i, p := range wb.Projects {
			out[i] = batch.Project{Sheet: p.Sheet, Name: p.ProjectName, Code: p.ProjectCode, Submission: p.Submission, Problems: p.Problems, Warnings: p.Warnings}
		}
		if len(out) > 0 && len(wb.Warnings) > 0 {
			out[0].Warnings = append(slices.Clone(wb.Warnings), out[0].Warnings...)
		}
		return out, nil
	}
	workbooks.Load = func(path string, year int) ([]*submission.Submission, error) {
		return xlsximport.Load(path, xlsximport.Options{FiscalYear: year})
	}
	workbooks.UnknownYear = func(path string) []string { return xlsximport.FiscalYearUnknown(path, xlsximport.Options{}) }
	workbooks.Title = xlsximport.Title
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
	Lang       string
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
			if err := applyConfigFlags(cmd, "fiscal-year"); err != nil {
				return exitCode(ExitInput, err)
			}
			if o.Lang != ruleset.LangZh && o.Lang != ruleset.LangEn {
				return exitCode(ExitInput, fmt.Errorf("--lang %q: use zh or en", o.Lang))
			}
			return runImportXLSX(o, args[0], cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.Dir, "output", "o", "", "directory to write the submissions to (default: beside the workbook, named after it)")
	addFiscalYearFlag(cmd, &o.FiscalYear)
	f.StringVar(&o.Lang, "lang", ruleset.LangZh, "language of the messages: zh or en")
	f.Int64Var(&o.MaxBytes, "max-bytes", xlsximport.DefaultMaxBytes, "refuse workbooks larger than this")
	return cmd
}

func runImportXLSX(o importXLSXOptions, file string, stdout, stderr io.Writer) error {
	wb, err := xlsximport.Import(file, xlsximport.Options{FiscalYear: o.FiscalYear, MaxBytes: o.MaxBytes})
	if err != nil {
		var problems submission.Problems
		if errors.As(err, &problems) {
			for _, p := range problems {
				fmt.Fprintln(stderr, p.In(o.Lang))
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
	warning := "警告："
	if o.Lang == ruleset.LangEn {
		warning = "warning:"
	}
	for _, w := range wb.Warnings {
		fmt.Fprintln(stderr, warning, w.In(o.Lang))
	}
	for _, p := range wb.Projects {
		for _, w := range p.Warnings {
			fmt.Fprintln(stderr, warning, w.In(o.Lang))
		}
		if len(p.Problems) > 0 {
			for _, pr := range p.Problems {
				fmt.Fprintln(stderr, pr.In(o.Lang))
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
