package commands

import "github.com/spf13/cobra"

// NewPolicyDocsCommand builds `budgetcheck policy docs`.
func NewPolicyDocsCommand() *cobra.Command { return &cobra.Command{Use: "docs"} }
