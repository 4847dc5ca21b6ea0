# METADATA
# title: 合同年度付款计划
# description: >-
#   Table 1 of the report: every contract's payments by year, as contracted
#   and as the policies recommend. As contracted, an instalment falls in its
#   due year (one with only a trigger in no year), a cycle in the year its
#   end falls in. As recommended, a cycle falls in the year it can be
#   assessed and paid (end + params.payment.lag_days), unpaid amounts of
#   earlier years (of the contract or of the contract it replaces) move into
#   the fiscal year, and the maintenance share a PREPAID_MAINTENANCE finding
#   cuts moves out of it to no year. Each row lists its payments, as
#   contracted (with whether each is paid) and as recommended, each with its
#   year (0 for a payment without a year, as the input's due_year) and its
#   amount in integer fen; the evaluator sums them by year into the table's
#   columns, a payment without a year into 未定期 ("later").
# custom:
#   basis: 合同约定的付款进度；《成都市市级预算事前绩效评估管理实施细则》预算合理性
package budgetcheck.schedule

import data.budgetcheck.lib

# The year of payments that have none: trigger-only instalments and the
# deferred maintenance share, paid once an agreement fixes when.
no_year := 0

# plan is the schedule: one row per contract in input order, each followed by
# a row for the unpaid amounts of the contract it replaces, if any.
plan := {
	"fiscal_year": lib.fy,
	"lag_days": lib.params.payment.lag_days,
	"rows": [row | some c in input.contracts; some row in contract_rows(c)],
}

contract_rows(c) := [contract_row(c), predecessor_row(c)] if count(predecessor_unpaid(c)) > 0

else := [contract_row(c)]

contract_row(c) := {
	"id": c.id,
	"contract": c.id,
	"total_fen": c.total_fen,
	"contracted": contracted(c),
	"recommended": recommended(c),
	"moves": moves(c),
}

predecessor_row(c) := {
	"id": concat(":", [c.id, "predecessor"]),
	"contract": c.id,
	"predecessor": true,
	"total_fen": sum([u.amount_fen | some u in predecessor_unpaid(c)]),
	"contracted": [{"year": u.due_year, "amount_fen": u.amount_fen, "paid": false} |
		some u in predecessor_unpaid(c)
	],
	"recommended": [{"year": predecessor_year(u), "amount_fen": u.amount_fen} |
		some u in predecessor_unpaid(c)
	],
	"moves": [{
		"kind": "arrear",
		"from": u.due_year,
		"to": lib.fy,
		"amount_fen": u.amount_fen,
		"at": u.at,
		"name": u.name,
	} |
		some u in predecessor_unpaid(c)
		arrear_year(u.due_year)
	],
}

predecessor_unpaid(c) := c.predecessor.unpaid if c.predecessor != null

else := []

predecessor_year(u) := lib.fy if arrear_year(u.due_year)

else := u.due_year

# arrear_year(y): an unpaid amount due in y is an arrear this year.
arrear_year(y) if {
	y > 0
	y < lib.fy
}

# contracted(c) are the payments as the contract states them.
contracted(c) := array.concat(
	[{"year": i.due_year, "amount_fen": i.amount_fen, "paid": i.paid} | some i in c.instalments],
	[{"year": cy.end_year, "amount_fen": cy.amount_fen, "paid": false} | some cy in c.cycles],
)

# recommended(c) are the payments as the policies recommend them.
recommended(c) := array.concat(
	[e | some i in c.instalments; some e in instalment_plan(c, i, lib.fy)],
	[{"year": lib.pay_year(cy.end), "amount_fen": cy.amount_fen} | some cy in c.cycles],
)

# A paid instalment stays where it was paid; one due in an earlier year and
# unpaid is an arrear, paid this year; the maintenance share of one this year
# pays (arrears included) moves to no year when the maintenance is prepaid.
# fy is the fiscal year.
instalment_plan(c, i, fy) := [{"year": i.due_year, "amount_fen": i.amount_fen}] if i.paid

else := [
	{"year": fy, "amount_fen": i.amount_fen - i.maintenance_fen},
	{"year": no_year, "amount_fen": i.maintenance_fen},
] if deferred_maintenance(c, i)

else := [{"year": fy, "amount_fen": i.amount_fen}] if arrear_year(i.due_year)

else := [{"year": i.due_year, "amount_fen": i.amount_fen}]

deferred_maintenance(c, i) if {
	some p in lib.prepaid_instalments(c)
	p.seq == i.seq
}

# moves(c) says what the recommended plan moves and why.
moves(c) := array.flatten([arrear_moves(c), maintenance_moves(c), cycle_moves(c)])

arrear_moves(c) := [{
	"kind": "arrear",
	"from": i.due_year,
	"to": lib.fy,
	"amount_fen": i.amount_fen,
	"at": i.at,
	"seq": i.seq,
} |
	some i in c.instalments
	not i.paid
	arrear_year(i.due_year)
]

maintenance_moves(c) := [{
	"kind": "prepaid_maintenance",
	"from": lib.fy,
	"to": no_year,
	"amount_fen": i.maintenance_fen,
	"at": i.at,
	"seq": i.seq,
} |
	some i in c.instalments
	deferred_maintenance(c, i)
]

cycle_moves(c) := [{
	"kind": "cycle_lag",
	"from": cy.end_year,
	"to": lib.pay_year(cy.end),
	"amount_fen": cy.amount_fen,
	"at": cy.at,
	"seq": cy.seq,
	"end": cy.end,
} |
	some cy in c.cycles
	lib.pay_year(cy.end) != cy.end_year
]
