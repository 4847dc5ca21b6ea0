package budgetcheck.findings

# METADATA
# title: a fractional amount
# description: A deliberately broken rule for budgetcheck's fault tests.
# custom:
#   code: FAULT_FLOAT
#   severity: info
#   title_en: a fractional amount
#   basis: none
findings contains {
	"code": "FAULT_FLOAT",
	"subject": l.id,
	"fact": l.at,
	"params": {},
	"adjustments": [{"line": l.id, "amount_fen": l.amount_fen / 3}],
} if {
	some l in input.budget_lines
	l.id == "L1"
}
