# Findings about the budget lines themselves.
package budgetcheck.findings

import data.budgetcheck.lib

# METADATA
# title: 成本增加无测算依据
# description: A line asks for more than last year without a cost breakdown.
# custom:
#   code: COST_INCREASE_UNSUPPORTED
#   severity: warning
#   title_en: Cost increase without support
#   basis: 《成都市市级预算事前绩效评估指标体系》成本测算
findings contains {
	"code": "COST_INCREASE_UNSUPPORTED",
	"subject": l.id,
	"fact": concat("", [l.at, ".amount"]),
	"params": {
		"line": l.id,
		"prior_year": money(l.prior_year_fen),
		"increase": money(l.amount_fen - l.prior_year_fen),
	},
	"adjustments": [],
} if {
	some l in input.budget_lines
	l.prior_year_fen != null
	l.amount_fen > l.prior_year_fen
	not l.breakdown
}

# METADATA
# title: 申请总额与明细不符
# description: The requested total differs from the sum of the budget lines.
# custom:
#   code: DECLARED_TOTAL_MISMATCH
#   severity: error
#   title_en: Declared total differs from the lines
#   basis: 项目经费测算明细表
findings contains {
	"code": "DECLARED_TOTAL_MISMATCH",
	"subject": "project",
	"fact": "project.requested_total",
	"params": {
		"requested": money(input.project.requested_fen),
		"lines_total": money(lib.lines_total_fen),
	},
	"adjustments": [],
} if {
	count(input.budget_lines) > 0
	input.project.requested_fen != lib.lines_total_fen
}
