// Command budgetcheck evaluates project budget submissions against Rego
// rulesets (预算事前绩效评估). See README.md.
package main

import (
	"os"

	"github.com/budgetcheck/budgetcheck/cmd/budgetcheck/commands"
)

func main() {
	os.Exit(commands.Main(os.Args[1:], os.Stdout, os.Stderr))
}
