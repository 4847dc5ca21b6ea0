package commands

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/budgetcheck/budgetcheck/evaluator/catalog"
	"github.com/budgetcheck/budgetcheck/evaluator/output"
	"github.com/budgetcheck/budgetcheck/policies"
)

type policyDocsOptions struct {
	Ruleset string
	Data    []string
	Format  string
	Output  string
}

// NewPolicyDocsCommand builds `budgetcheck policy docs`.
func NewPolicyDocsCommand() *cobra.Command {
	var o policyDocsOptions
	cmd := &cobra.Command{
		Use:   "docs [DIR...]",
		Short: "Generate the rulesets' catalogues of indicators and findings",
		Long: `Generate the catalogue of a ruleset (in Markdown on stdout, every embedded ruleset one after
the other when no DIR or --ruleset is given; with --output or --format json, the default one)
from its
rules' # METADATA and its data: the manifest, every basic item, every indicator (code, title,
group, max points, grading table, reason) and every finding (code, severity, title,
description, basis document, message, the indicators that count it), and the conclusion bands.

A target review's catalogue also shows its grading (review areas, what each finding counts,
the grades 优/良/中/差 with their bounds and consequences) and each finding's 审核意见.
Each embedded ruleset's catalogue is committed as policies/<ruleset>/CATALOG.md; a test fails
when one is stale.`,
		Example: `  budgetcheck policy docs --ruleset chengdu -o policies/chengdu/CATALOG.md
  budgetcheck policy docs --ruleset target-review -o policies/target-review/CATALOG.md
  budgetcheck policy docs --format json ./my-rules`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runPolicyDocs(o, args, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Ruleset, "ruleset", "", "the embedded ruleset to document ("+strings.Join(policies.Rulesets, ", ")+")")
	f.StringArrayVar(&o.Data, "data", nil, "YAML/JSON file deep-merged over the ruleset's data (repeatable)")
	f.StringVarP(&o.Format, "format", "f", "md", "md or json")
	f.StringVarP(&o.Output, "output", "o", "", "write the catalogue to this file (atomically) instead of stdout")
	return cmd
}

func runPolicyDocs(o policyDocsOptions, dirs []string, stdout io.Writer) error {
	if o.Format != "md" && o.Format != "json" {
		return exitCode(ExitInput, fmt.Errorf("--format %q: use md or json", o.Format))
	}
	names := []string{o.Ruleset}
	if len(dirs) == 0 && o.Ruleset == "" && o.Output == "" && o.Format == "md" {
		names = policies.Rulesets
	}
	var docs []*catalog.Document
	for _, name := range names {
		popts := rulesetOptions(dirs, o.Data)
		popts.Ruleset = name
		if err := popts.validate(); err != nil {
			return exitCode(ExitInput, err)
		}
		rs, err := loadRuleset(popts)
		if err != nil {
			return exitCode(ExitInput, fmt.Errorf("ruleset: %w", err))
		}
		docs = append(docs, catalog.New(rs))
	}
	write := func(w *bufio.Writer) error {
		for i, doc := range docs {
			if i > 0 && o.Format == "md" {
				w.WriteString("\n---\n\n")
			}
			var err error
			if o.Format == "json" {
				err = doc.WriteJSON(w)
			} else {
				err = doc.WriteMarkdown(w)
			}
			if err != nil {
				return err
			}
		}
		return nil
	}
	var err error
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
