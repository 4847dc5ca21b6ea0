package commands

import (
	"fmt"
	"runtime/debug"

	"github.com/open-policy-agent/opa/v1/version"
	"github.com/spf13/cobra"
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
		Short: "Print budgetcheck's version, its OPA version and the embedded ruleset",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rs, err := loadRuleset(policyOptions{})
			if err != nil {
				return exitCode(ExitInternal, err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "budgetcheck %s\nopa %s\nruleset %s %s (embedded)\n", buildVersion(), version.Version, rs.Manifest.Name, rs.Manifest.Version)
			return nil
		},
	}
}
