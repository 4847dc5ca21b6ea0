package commands

import (
	"fmt"
	"runtime/debug"

	"github.com/open-policy-agent/opa/v1/version"
	"github.com/spf13/cobra"

	"github.com/budgetcheck/budgetcheck/evaluator"
	"github.com/budgetcheck/budgetcheck/policies"
)

// Version is set at build time with -ldflags "-X …/commands.Version=v1.2.3";
// otherwise it comes from the module's build information.
var Version = ""

func buildVersion() string {
	if Version != "" {
		return Version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
		return info.Main.Version
	}
	return "(devel)"
}

// NewVersionCommand builds `budgetcheck version`.
func NewVersionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print budgetcheck's version, its OPA version and the embedded rulesets",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(cmd.OutOrStdout(), "budgetcheck %s\nopa %s\n", buildVersion(), version.Version)
			for _, dir := range policies.Rulesets {
				rs, err := loadRuleset(policyOptions{Ruleset: dir})
				if err != nil {
					return exitCode(ExitInternal, err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "ruleset %s %s (embedded, --ruleset %s, %s)\n", rs.Manifest.Name, rs.Manifest.Version, dir, evaluator.ProcedureOf(rs))
			}
			return nil
		},
	}
}
