# METADATA
# title: The evaluation's result
# description: >-
#   The one document budgetcheck queries: the basic assessment, the graded
#   indicators, the findings (the ruleset's own and those of the target
#   library, policies/lib/targets) and the contracts' payment plan
#   (schedule.rego).
#   Scores, the conclusion and the recommended budget are computed from it in
#   Go with exact decimals.
package budgetcheck.main

# METADATA
# title: Result
# description: The query budgetcheck evaluates, data.budgetcheck.main.result.
# entrypoint: true
result := {
	"basic": data.budgetcheck.basic.items,
	"indicators": data.budgetcheck.indicators.indicators,
	"findings": data.budgetcheck.findings.findings | data.budgetcheck.targets.findings,
	"schedule": data.budgetcheck.schedule.plan,
}
