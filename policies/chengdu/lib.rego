# METADATA
# title: Shared lookups and helpers
# description: Indexes built once per evaluation and the helpers every package uses.
package budgetcheck.lib

params := data.params

fy := input.fiscal_year

# The indexes by contract id are objects built whole, once (complete rules),
# not partial rules: OPA looks a key of a partial rule up by evaluating the
# rule's body again for that key, a complete rule's value it evaluates once
# per evaluation and indexes (30 lookups into 30 keys: 774 µs against 201 µs).
# regal ignore:prefer-set-or-object-rule
contracts_by_id := {c.id: c | some c in input.contracts}

# lines_of[contract_id] is the budget lines that pay a contract.
# regal ignore:prefer-set-or-object-rule
lines_of := {cid: [l | some l in input.budget_lines; l.contract == cid] |
	some cid in {l.contract | some l in input.budget_lines}
	cid != ""
}

# contract_line[contract_id] is the first budget line that pays a contract:
# the one a finding's adjustment goes to.
# regal ignore:prefer-set-or-object-rule
contract_line := {cid: lines[0] | some cid, lines in lines_of}

# budgeted_fen[contract_id] is what the budget lines ask for a contract.
# regal ignore:prefer-set-or-object-rule
budgeted_fen := {cid: sum([l.amount_fen | some l in lines]) | some cid, lines in lines_of}

lines_total_fen := sum([l.amount_fen | some l in input.budget_lines])

# pay_year(end) is the year an assessment cycle ending on end is paid, after the
# assessment-and-payment lag.
pay_year(end) := year if {
	ns := time.add_date(time.parse_ns("2006-01-02", end), 0, 0, params.payment.lag_days)
	[year, _, _] := time.date(ns)
}

year_of(date) := to_number(substring(date, 0, 4))

# unpayable_cycles(c) are the cycles that end in the fiscal year but are paid after it.
unpayable_cycles(c) := [cy |
	some cy in c.cycles
	cy.end_year == fy
	pay_year(cy.end) > fy
]

unpayable_fen(c) := sum([cy.amount_fen | some cy in unpayable_cycles(c)])

# carried_cycles(c) are the cycles that ended last year but are paid this
# year, after the lag: like arrears, they fall on this year's budget.
carried_cycles(c) := [cy |
	some cy in c.cycles
	cy.end_year == fy - 1
	pay_year(cy.end) == fy
]

carried_fen(c) := sum([cy.amount_fen | some cy in carried_cycles(c)])

# A maintenance component is prepaid when it is paid before its service starts
# or without criteria to assess it by.
maintenance_prepaid(comp) if not comp.assessment_criteria

maintenance_prepaid(comp) if comp.service_start == null

maintenance_prepaid(comp) if year_of(comp.service_start) > fy

prepaid_components(c) := [comp |
	some comp in c.components
	comp.kind == "maintenance"
	maintenance_prepaid(comp)
]

# falls_due(i): an unpaid instalment this year's budget pays: one due this
# year, or an arrear (due in an earlier year and not paid).
falls_due(i) if {
	not i.paid
	i.due_year == fy
}

falls_due(i) if {
	not i.paid
	i.due_year > 0
	i.due_year < fy
}

# prepaid_instalments(c) are the instalments this year pays, arrears
# included, that carry a share of a prepaid maintenance component.
prepaid_instalments(c) := [i |
	count(prepaid_components(c)) > 0
	some i in c.instalments
	falls_due(i)
	i.maintenance_fen > 0
]

# prepaid_fen(c) is the maintenance those instalments carry.
prepaid_fen(c) := sum([i.maintenance_fen | some i in prepaid_instalments(c)])

# arrears_fen(c) is what falls on this year from earlier years: unpaid
# instalments, the predecessor contract's unpaid amounts, carried cycles.
arrears_fen(c) := (c.fiscal_year.arrears_fen + c.fiscal_year.predecessor_arrears_fen) + carried_fen(c)

# payable_fen(c) is what the policies recommend paying on a contract this year.
payable_fen(c) := ((c.fiscal_year.due_fen + arrears_fen(c)) - prepaid_fen(c)) - unpayable_fen(c)

# line_adjustment(c, amount) adjusts the contract's first budget line, if it has one.
line_adjustment(c, amount) := [{"line": contract_line[c.id].id, "amount_fen": amount}] if contract_line[c.id]

else := []

# grade(grades, measure) is the first grade whose bounds hold the measure.
# A grade given under a condition (when) is not given by the measure.
grade(grades, measure) := grades[min(matching)] if {
	matching := [i |
		some i, g in grades
		not g.when
		object.get(g, "min", measure) <= measure
		measure <= object.get(g, "max", measure)
	]
	count(matching) > 0
}

# no_targets: no row of the target table states a value (every row is
# missing, blank or "not applicable"). The indicators whose grades include
# one `when: no_targets` are then given that grade, not left out as not
# applicable (params.indicators).
no_targets if count(data.budgetcheck.targets.valued_targets) == 0

# ratio(part, whole) is part/whole, or 1 when there is nothing to cover.
ratio(_, 0) := 1

ratio(part, whole) := part / whole if whole != 0
