// Package commands holds budgetcheck's cobra commands: one file per command,
// each a constructor that fills a plain options struct and hands it to a
// function that returns an exit code.
package commands

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// Exit codes, the same for every command and format.
const (
	ExitOK       = 0 // passed
	ExitFail     = 1 // a policy failure: error findings or 不予支持
	ExitInput    = 2 // bad input or usage
	ExitInternal = 3 // an internal error
)

// ExitError carries an exit code out of a command. A nil Err means the
// command has already said what there is to say.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit %d", e.Code)
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

func exitCode(code int, err error) error {
	if code == ExitOK && err == nil {
		return nil
	}
	return &ExitError{Code: code, Err: err}
}

// NewRootCommand builds the budgetcheck command tree.
func NewRootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "budgetcheck",
		Short: "Evaluate project budget submissions with Rego policies (预算事前绩效评估)",
		Long: `budgetcheck evaluates a department's project budget submission the way a finance
bureau's pre-budget performance evaluation does: a pass/fail basic assessment, scored
indicators normalised to 100, findings with budget adjustments, the recommended budget
line by line, and a conclusion (予以支持 / 调整后予以支持 / 不予支持).

The rules are Rego policies with every number and text in data beside them; the default
ruleset (Chengdu) is embedded, --policy DIR replaces it.

Exit codes: 0 passed, 1 policy failure, 2 bad input or usage, 3 internal error.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(
		NewCheckCommand(),
		NewVersionCommand(),
		NewScheduleCommand(),
		NewReportCommand(),
		NewBatchCommand(),
		NewInspectCommand(),
		NewPolicyCommand(),
		NewImportCommand(),
		NewImpactCommand(),
		NewServeCommand(),
	)
	return root
}

// Main runs budgetcheck with args and returns the exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	root := NewRootCommand()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.Execute()
	if err == nil {
		return ExitOK
	}
	var exit *ExitError
	if errors.As(err, &exit) {
		if exit.Err != nil {
			fmt.Fprintln(stderr, "budgetcheck:", exit.Err)
		}
		return exit.Code
	}
	// cobra's own errors: unknown commands and flags, wrong arguments.
	fmt.Fprintln(stderr, "budgetcheck:", err)
	fmt.Fprintln(stderr, "Run 'budgetcheck --help' for usage.")
	return ExitInput
}
