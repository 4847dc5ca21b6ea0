package budgetcheck.schedule_test

import data.budgetcheck.schedule

inst(seq, due_year, amount, paid) := {
	"at": sprintf("contracts[0].instalments[%d]", [seq - 1]),
	"seq": seq,
	"due_year": due_year,
	"amount_fen": amount,
	"paid": paid,
	"maintenance_fen": 0,
}

contract(extra) := object.union(
	{
		"at": "contracts[0]",
		"id": "C1",
		"total_fen": 1000,
		"components": [],
		"instalments": [],
		"cycles": [],
		"predecessor": null,
	},
	extra,
)

in_2021(c) := {"fiscal_year": 2021, "contracts": [c]}

# totals(payments) sums a row's payments by year, as the evaluator does for
# the report's table (evaluator/collect_schedule.go), keyed as the table is.
totals(payments) := {key(year): total |
	some year in {p.year | some p in payments}
	total := sum([p.amount_fen | some p in payments; p.year == year])
	total != 0
}

key(0) := "later"

key(year) := sprintf("%d", [year]) if year != 0

# paid(payments) are the contracted payments already paid.
paid(payments) := [p | some p in payments; p.paid]

test_plan_instalments_by_due_year_trigger_only_later if {
	c := contract({"instalments": [inst(1, 2020, 300, true), inst(2, 2021, 400, false), inst(3, 0, 300, false)]})
	r := schedule.plan.rows[0] with input as in_2021(c)
	totals(r.contracted) == {"2020": 300, "2021": 400, "later": 300}
	totals(r.recommended) == {"2020": 300, "2021": 400, "later": 300}
	totals(paid(r.contracted)) == {"2020": 300}
	r.moves == []
}

test_plan_arrear_moves_into_fiscal_year if {
	c := contract({"instalments": [inst(1, 2020, 300, false), inst(2, 2021, 400, false), inst(3, 2022, 300, false)]})
	r := schedule.plan.rows[0] with input as in_2021(c)
	totals(r.contracted) == {"2020": 300, "2021": 400, "2022": 300}
	totals(r.recommended) == {"2021": 700, "2022": 300}
	r.moves == [{
		"kind": "arrear", "from": 2020, "to": 2021, "amount_fen": 300,
		"at": "contracts[0].instalments[0]", "seq": 1,
	}]
}

test_plan_prepaid_maintenance_moves_to_later if {
	due := object.union(inst(2, 2021, 400, false), {"maintenance_fen": 80})
	c := contract({
		"components": [{"kind": "maintenance", "assessment_criteria": false, "service_start": null}],
		"instalments": [inst(1, 2020, 300, true), due, inst(3, 0, 300, false)],
	})
	r := schedule.plan.rows[0] with input as in_2021(c)
	totals(r.recommended) == {"2020": 300, "2021": 320, "later": 380}
	[m] := r.moves
	m.kind == "prepaid_maintenance"
	m.amount_fen == 80
	m.to == 0 # no year: the table's 未定期 ("later")
}

# An arrear that carries prepaid maintenance moves into the fiscal year less
# its maintenance share, which goes to later like that of an instalment due.
test_plan_prepaid_maintenance_of_an_arrear_moves_to_later if {
	arrear := object.union(inst(2, 2020, 400, false), {"maintenance_fen": 80})
	c := contract({
		"components": [{"kind": "maintenance", "assessment_criteria": false, "service_start": null}],
		"instalments": [inst(1, 2020, 300, true), arrear, inst(3, 0, 300, false)],
	})
	r := schedule.plan.rows[0] with input as in_2021(c)
	totals(r.recommended) == {"2020": 300, "2021": 320, "later": 380}
	[a, m] := r.moves
	[a.kind, a.from, a.to, a.amount_fen] == ["arrear", 2020, 2021, 400]
	[m.kind, m.from, m.to, m.amount_fen] == ["prepaid_maintenance", 2021, 0, 80]
}

test_plan_maintenance_with_criteria_stays if {
	due := object.union(inst(1, 2021, 1000, false), {"maintenance_fen": 80})
	c := contract({
		"components": [{"kind": "maintenance", "assessment_criteria": true, "service_start": "2021-01-01"}],
		"instalments": [due],
	})
	r := schedule.plan.rows[0] with input as in_2021(c)
	totals(r.recommended) == {"2021": 1000}
}

# Cycles ending 30 Apr, 31 Aug and 31 Dec: with the 30-day lag of data.yaml
# the third is paid in the next year.
test_plan_cycles_by_pay_year if {
	cycles := [
		{"at": "contracts[0].cycle_payment", "seq": 1, "end": "2021-04-30", "end_year": 2021, "amount_fen": 269},
		{"at": "contracts[0].cycle_payment", "seq": 2, "end": "2021-08-31", "end_year": 2021, "amount_fen": 269},
		{"at": "contracts[0].cycle_payment", "seq": 3, "end": "2021-12-31", "end_year": 2021, "amount_fen": 269},
		{"at": "contracts[0].cycle_payment", "seq": 4, "end": "2022-04-30", "end_year": 2022, "amount_fen": 269},
	]
	r := schedule.plan.rows[0] with input as in_2021(contract({"cycles": cycles}))
	totals(r.contracted) == {"2021": 807, "2022": 269}
	totals(r.recommended) == {"2021": 538, "2022": 538}
	[m] := r.moves
	m.kind == "cycle_lag"
	m.from == 2021
	m.to == 2022
}

test_plan_cycles_with_no_lag_stay_in_their_year if {
	cycles := [{"at": "contracts[0].cycle_payment", "seq": 1, "end": "2021-12-31", "end_year": 2021, "amount_fen": 269}]
	r := schedule.plan.rows[0] with input as in_2021(contract({"cycles": cycles}))
		with data.params.payment.lag_days as 0
	totals(r.recommended) == {"2021": 269}
	r.moves == []
}

test_plan_predecessor_arrears_get_their_own_row if {
	c := contract({"predecessor": {"name": "old", "unpaid": [
		{"at": "contracts[0].predecessor.unpaid[0]", "name": "Q4", "amount_fen": 105, "due_year": 2020},
	]}})
	rows := schedule.plan.rows with input as in_2021(c)
	count(rows) == 2
	p := rows[1]
	p.id == "C1:predecessor"
	p.predecessor
	p.total_fen == 105
	totals(p.contracted) == {"2020": 105}
	totals(p.recommended) == {"2021": 105}
	p.moves[0].kind == "arrear"
}
