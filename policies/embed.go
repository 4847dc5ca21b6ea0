// Package policies embeds the default rulesets, so that budgetcheck runs with
// no flags. Each ruleset is a directory: Rego modules, their tests, data.yaml
// with every parameter and text, and manifest.yaml.
package policies

import "embed"

// FS holds the embedded rulesets.
//
//go:embed chengdu lib
var FS embed.FS

// Default is the directory of the ruleset used when none is given.
const Default = "chengdu"
