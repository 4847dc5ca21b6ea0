# METADATA
# title: The evaluation's result
# description: >-
#   The document budgetcheck queries for every submission: the basic
#   assessment, the graded indicators and the findings (the ruleset's own and
#   those of the target library, policies/lib/targets). Scores, the conclusion
#   and the recommended budget are computed from it in Go with exact decimals.
#   The contracts' payment plan (data.budgetcheck.schedule.plan) is a second
#   query, evaluated only for the outputs that show it.
package budgetcheck.main

# METADATA
# title: Result
# description: The query budgetcheck evaluates, data.budgetcheck.main.result.
# entrypoint: true
result := {
	"basic": data.budgetcheck.basic.items,
	"indicators": data.budgetcheck.indicators.indicators,
	"findings": data.budgetcheck.findings.findings | data.budgetcheck.targets.findings,
}
