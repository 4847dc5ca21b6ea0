package commands

import (
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/open-policy-agent/opa/v1/version"
	"github.com/spf13/cobra"

	"github.com/budgetcheck/budgetcheck/evaluator"
	"github.com/budgetcheck/budgetcheck/policies"
)

// Version is set at build time with -ldflags "-X …/commands.Version=v1.2.3";
// otherwise it comes from the module's build information.
var Version = ""

// buildVersion is the version a user quotes in a bug report: the module's
// version, and for a binary built from a clone (go build, go install ./…)
// the commit it was built from, its date and whether the tree had changes.
func buildVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return describeVersion(Version, nil)
	}
	v := Version
	if v == "" {
		v = info.Main.Version
	}
	return describeVersion(v, info.Settings)
}

func describeVersion(v string, settings []debug.BuildSetting) string {
	if v == "" {
		v = "(devel)"
	}
	vcs := map[string]string{}
	for _, s := range settings {
		vcs[s.Key] = s.Value
	}
	rev := vcs["vcs.revision"]
	if rev == "" {
		// go run and go test do not stamp the commit
		return v
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	parts := []string{v, rev}
	if t := vcs["vcs.time"]; t != "" {
		parts = append(parts, t)
	}
	if vcs["vcs.modified"] == "true" {
		parts = append(parts, "(modified)")
	}
	return strings.Join(parts, " ")
}

// NewVersionCommand builds `budgetcheck version`.
func NewVersionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print budgetcheck's version, its OPA version and the embedded rulesets",
		Long: `Print budgetcheck's version — for a binary built from a clone, the commit it was
built from, the commit's date and "(modified)" when the tree had uncommitted changes
(go run and go test do not record them) — the OPA version and the embedded rulesets
(the pre-budget evaluation and the target review).`,
		Args: cobra.NoArgs,
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
