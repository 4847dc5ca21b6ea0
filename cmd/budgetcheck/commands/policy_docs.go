package commands

import (
	"bufio"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/budgetcheck/budgetcheck/evaluator/catalog"
	"github.com/budgetcheck/budgetcheck/evaluator/output"
)

type policyDocsOptions struct {
	Data   []string
	Format string
	Output string
}

// NewPolicyDocsCommand builds `budgetcheck policy docs`.
func NewPolicyDocsCommand() *cobra.Command {
	var o policyDocsOptions
	cmd := &cobra.Command{
		Use:   "docs [DIR...]",
		Short: "Generate the ruleset's catalogue of indicators and findings",
		Long: `Generate the catalogue of a ruleset (the embedded default when no DIR is given) from its
rules' # METADATA and its data: the manifest, every basic item, every indicator (code, title,
group, max points, grading table, reason) and every finding (code, severity, title,
description, basis document, message, the indicators that count it), and the conclusion bands.

The embedded ruleset's catalogue is committed as policies/chengdu/CATALOG.md; a test fails
when it is stale.`,
		Example: `  budgetcheck policy docs -o policies/chengdu/CATALOG.md
  budgetcheck policy docs --format json ./my-rules`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runPolicyDocs(o, args, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&o.Data, "data", nil, "YAML/JSON file deep-merged over the ruleset's data (repeatable)")
	f.StringVarP(&o.Format, "format", "f", "md", "md or json")
	f.StringVarP(&o.Output, "output", "o", "", "write the catalogue to this file (atomically) instead of stdout")
	return cmd
}

func runPolicyDocs(o policyDocsOptions, dirs []string, stdout io.Writer) error {
	if o.Format != "md" && o.Format != "json" {
		return exitCode(ExitInput, fmt.Errorf("--format %q: use md or json", o.Format))
	}
	rs, err := loadRuleset(rulesetOptions(dirs, o.Data))
	if err != nil {
		return exitCode(ExitInput, fmt.Errorf("ruleset: %w", err))
	}
	doc := catalog.New(rs)
	write := func(w *bufio.Writer) error {
		if o.Format == "json" {
			return doc.WriteJSON(w)
		}
		return doc.WriteMarkdown(w)
	}
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
	return nil
}
