package commands

import "github.com/spf13/cobra"

// NewPolicyCheckCommand builds `budgetcheck policy check`.
func NewPolicyCheckCommand() *cobra.Command { return &cobra.Command{Use: "check [DIR...]"} }
