// Package policies embeds the default rulesets, so that budgetcheck runs with
// no flags. Each ruleset is a directory: Rego modules, their tests, data.yaml
// with every parameter and text, and manifest.yaml, which names its procedure
// and the libraries under lib/ it imports.
package policies

import (
	"embed"

	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
)

// FS holds the embedded rulesets and their libraries.
//
//go:embed chengdu target-review lib
var FS embed.FS

// Default is the directory of the ruleset used when none is given and the
// input does not call for another: the pre-budget evaluation.
const Default = "chengdu"

// Rulesets are the directories of the embedded rulesets: the pre-budget
// evaluation (事前绩效评估) and the performance-target review (绩效目标审核).
var Rulesets = []string{"chengdu", "target-review"}

// Source is the embedded ruleset in directory dir (one of Rulesets), as the
// loader reads it: shown as "embedded:DIR" in messages and results.
func Source(dir string) ruleset.Source {
	return ruleset.Source{FS: FS, Dir: dir, Display: "embedded:" + dir}
}
