package budgetcheck.findings.contracts_test

import data.budgetcheck.build_test as build

# --- PREPAID_MAINTENANCE: C1's 40 % instalment carries 40 % of the 50 O&M fee

c1(component) := build.contract("C1", {
	"components": [component],
	"instalments": [
		build.instalment(1, 67800000, 2020, {"paid": true, "maintenance_fen": 15000000}),
		build.instalment(2, 90400000, 2021, {"maintenance_fen": 20000000}),
	],
	"fiscal_year": {"due_fen": 90400000, "maintenance_due_fen": 20000000},
})

maintenance(fields) := object.union(
	{
		"at": "contracts[0].components[0]", "name": "3年运行维护费", "kind": "maintenance",
		"amount_fen": 50000000, "service_start": null, "assessment_criteria": false,
	},
	fields,
)

c1_input(component) := build.input_doc({
	"contracts": [c1(component)],
	"budget_lines": [build.line("L1", "C1", 90400000, {})],
})

test_prepaid_maintenance_not_started if {
	[f] := build.found("PREPAID_MAINTENANCE") with input as c1_input(maintenance({}))
	f.subject == "C1"
	f.fact == "contracts[0].instalments[1].amount"
	f.params.instalment == 2
	f.params.maintenance == {"fen": 20000000}
	f.adjustments == [{"line": "L1", "amount_fen": -20000000}]
}

# C1's 40 % instalment due in 2020 and unpaid is an arrear of 2021: it still
# carries 20 of prepaid maintenance, and the finding says so.
test_prepaid_maintenance_on_an_arrear if {
	c := build.contract("C1", {
		"components": [maintenance({})],
		"instalments": [
			build.instalment(1, 67800000, 2020, {"paid": true, "maintenance_fen": 15000000}),
			build.instalment(2, 90400000, 2020, {"maintenance_fen": 20000000}),
			build.instalment(3, 67800000, 0, {"maintenance_fen": 15000000}),
		],
		"fiscal_year": {"due_fen": 0, "maintenance_due_fen": 0, "arrears_fen": 90400000},
	})
	inp := build.input_doc({"contracts": [c], "budget_lines": [build.line("L1", "C1", 90400000, {})]})
	[f] := build.found("PREPAID_MAINTENANCE") with input as inp
	f.params.instalment == 2
	f.adjustments == [{"line": "L1", "amount_fen": -20000000}]
	count(build.found("ARREARS_UNBUDGETED")) == 0 with input as inp
}

test_prepaid_maintenance_starts_next_year if {
	inp := c1_input(maintenance({"service_start": "2022-01-01", "assessment_criteria": true}))
	count(build.found("PREPAID_MAINTENANCE")) == 1 with input as inp
}

test_prepaid_maintenance_started_with_criteria if {
	inp := c1_input(maintenance({"service_start": "2021-01-01", "assessment_criteria": true}))
	count(build.found("PREPAID_MAINTENANCE")) == 0 with input as inp
}

test_prepaid_maintenance_no_maintenance_component if {
	inp := c1_input(maintenance({"kind": "software"}))
	count(build.found("PREPAID_MAINTENANCE")) == 0 with input as inp
}

# --- CONTRACT_PAYMENT_UNBUDGETED: C3 has 2.752 due and 2.064 overdue, and no line

c3(status) := build.contract("C3", {
	"status": status,
	"instalments": [
		build.instalment(1, 2064000, 2020, {}),
		build.instalment(2, 2752000, 2021, {}),
		build.instalment(3, 2064000, 2022, {}),
	],
	"fiscal_year": {"due_fen": 2752000, "arrears_fen": 2064000},
})

test_contract_payment_unbudgeted_due_and_arrears if {
	[f] := build.found("CONTRACT_PAYMENT_UNBUDGETED") with input as build.input_doc({"contracts": [c3("signed")]})
	f.subject == "C3"
	f.params.due == {"fen": 2752000}
	f.params.arrears == {"fen": 2064000}
	f.params.payable == {"fen": 4816000}
	f.adjustments == [{
		"line": "contract:C3",
		"amount_fen": 4816000,
		"new": {"name": "合同C3", "subproject": "S1", "contract": "C3"},
	}]
}

test_contract_payment_unbudgeted_budgeted if {
	inp := build.input_doc({"contracts": [c3("signed")], "budget_lines": [build.line("L1", "C3", 4816000, {})]})
	count(build.found("CONTRACT_PAYMENT_UNBUDGETED")) == 0 with input as inp
}

test_contract_payment_unbudgeted_not_binding if {
	count(build.found("CONTRACT_PAYMENT_UNBUDGETED")) == 0 with input as build.input_doc({"contracts": [c3("intent")]})
}

test_contract_payment_unbudgeted_nothing_payable if {
	inp := build.input_doc({"contracts": [build.contract("C9", {})]})
	count(build.found("CONTRACT_PAYMENT_UNBUDGETED")) == 0 with input as inp
}

# --- BUDGET_CONTRACT_MISMATCH: C6's line asks 81 for 80.7 due

c6 := build.contract("C6", {"status": "intent", "fiscal_year": {"due_fen": 80700000}})

test_budget_contract_mismatch_more_than_due if {
	inp := build.input_doc({"contracts": [c6], "budget_lines": [build.line("L4", "C6", 81000000, {})]})
	[f] := build.found("BUDGET_CONTRACT_MISMATCH") with input as inp
	f.subject == "L4"
	f.params.difference == {"fen": -300000}
	f.adjustments == [{"line": "L4", "amount_fen": -300000}]
}

test_budget_contract_mismatch_equal if {
	inp := build.input_doc({"contracts": [c6], "budget_lines": [build.line("L4", "C6", 80700000, {})]})
	count(build.found("BUDGET_CONTRACT_MISMATCH")) == 0 with input as inp
}

test_budget_contract_mismatch_due_plus_arrears if {
	inp := build.input_doc({"contracts": [c3("signed")], "budget_lines": [build.line("L1", "C3", 4816000, {})]})
	count(build.found("BUDGET_CONTRACT_MISMATCH")) == 0 with input as inp
}

test_budget_contract_mismatch_split_lines if {
	# two lines pay one contract: their sum is compared, the first is adjusted
	inp := build.input_doc({"contracts": [c6], "budget_lines": [
		build.line("L4", "C6", 40000000, {}),
		build.line("L6", "C6", 40000000, {}),
	]})
	[f] := build.found("BUDGET_CONTRACT_MISMATCH") with input as inp
	f.adjustments == [{"line": "L4", "amount_fen": 700000}]
}

# --- ASSESSMENT_CYCLE_UNPAYABLE: C6's three cycles end Apr, Aug, Dec

c6_cycles := object.union(c6, {
	"cycle": {"at": "contracts[0].cycle_payment"},
	"cycles": [
		build.cycle(1, "2021-04-30", 26900000),
		build.cycle(2, "2021-08-31", 26900000),
		build.cycle(3, "2021-12-31", 26900000),
		build.cycle(4, "2022-04-30", 26900000),
	],
})

cycles_input := build.input_doc({"contracts": [c6_cycles], "budget_lines": [build.line("L4", "C6", 80700000, {})]})

test_assessment_cycle_unpayable_last_cycle if {
	[f] := build.found("ASSESSMENT_CYCLE_UNPAYABLE") with input as cycles_input
	f.subject == "C6"
	f.fact == "contracts[0].cycle_payment"
	f.params.cycles == 1
	f.params.payable_cycles == 2
	f.params.lag == 30
	f.adjustments == [{"line": "L4", "amount_fen": -26900000}]
}

test_assessment_cycle_unpayable_no_lag if {
	count(build.found("ASSESSMENT_CYCLE_UNPAYABLE")) == 0 with input as cycles_input
		with data.params.payment.lag_days as 0
}

test_assessment_cycle_unpayable_no_line if {
	# with no budget line there is nothing to adjust, the finding stays
	inp := build.input_doc({"contracts": [c6_cycles]})
	[f] := build.found("ASSESSMENT_CYCLE_UNPAYABLE") with input as inp
	f.adjustments == []
}

# --- ARREARS_UNBUDGETED: C7's predecessor left Q4-2020 (10.5) unpaid

c7 := build.contract("C7", {
	"predecessor": {
		"at": "contracts[0].predecessor",
		"name": "2018-2020年度值守服务合同",
		"unpaid": [{
			"at": "contracts[0].predecessor.unpaid[0]", "name": "2020年第四季度",
			"amount_fen": 10500000, "due_year": 2020,
		}],
	},
	"fiscal_year": {"due_fen": 46900000, "predecessor_arrears_fen": 10500000},
})

test_arrears_unbudgeted_predecessor if {
	inp := build.input_doc({"contracts": [c7], "budget_lines": [build.line("L5", "C7", 46900000, {})]})
	[f] := build.found("ARREARS_UNBUDGETED") with input as inp
	f.subject == "C7"
	f.fact == "contracts[0].predecessor.unpaid[0].amount"
	f.params.debtor.zh == "原合同“2018-2020年度值守服务合同”"
	f.params.period.zh == "2020年第四季度"
	f.adjustments == [{"line": "L5", "amount_fen": 10500000}]
}

test_arrears_unbudgeted_own_instalment if {
	inp := build.input_doc({"contracts": [c3("signed")], "budget_lines": [build.line("L1", "C3", 2752000, {})]})
	[f] := build.found("ARREARS_UNBUDGETED") with input as inp
	f.params.debtor == {"zh": "合同 C3", "en": "contract C3"}
	f.params.period == {"zh": "第1期（2020年应付）", "en": "instalment 1 (due 2020)"}
	f.fact == "contracts[0].instalments[0].amount"
	f.adjustments == [{"line": "L1", "amount_fen": 2064000}]
}

# Under fiscal year 2022 C7 owes two debts: the old contract's Q4-2020 fee
# and its own cycle that ended in December 2021. Each is its own finding,
# named with its own contract and period.
test_arrears_unbudgeted_each_debt_named_apart if {
	c := object.union(c7, {
		"cycles": [
			build.cycle(4, "2021-12-20", 11725000),
			build.cycle(5, "2022-03-20", 11725000),
		],
		"fiscal_year": {"due_fen": 46900000, "predecessor_arrears_fen": 10500000},
	})
	inp := build.input_doc({"fiscal_year": 2022, "contracts": [c], "budget_lines": [build.line("L5", "C7", 48000000, {})]})
	fs := build.found("ARREARS_UNBUDGETED") with input as inp
	{[f.params.debtor.zh, f.params.period.zh, f.adjustments[0].amount_fen] | some f in fs} == {
		["原合同“2018-2020年度值守服务合同”", "2020年第四季度", 10500000],
		["合同 C7", "～2021-12-20 考核周期", 11725000],
	}
}

test_arrears_unbudgeted_budgeted if {
	inp := build.input_doc({"contracts": [c7], "budget_lines": [build.line("L5", "C7", 57400000, {})]})
	count(build.found("ARREARS_UNBUDGETED")) == 0 with input as inp
}

# --- CONTRACT_UNSIGNED

test_contract_unsigned_intent_budgeted if {
	inp := build.input_doc({"contracts": [c6], "budget_lines": [build.line("L4", "C6", 80700000, {})]})
	[f] := build.found("CONTRACT_UNSIGNED") with input as inp
	f.subject == "C6"
	f.fact == "contracts[C6].status"
	f.params.status.zh == "意向合同（未实际签署）"
	f.adjustments == []
}

test_contract_unsigned_signed if {
	inp := build.input_doc({"contracts": [c3("signed")], "budget_lines": [build.line("L1", "C3", 4816000, {})]})
	not "CONTRACT_UNSIGNED" in build.codes with input as inp
}

test_contract_unsigned_not_budgeted if {
	not "CONTRACT_UNSIGNED" in build.codes with input as build.input_doc({"contracts": [c6]})
}

# A quarterly cycle that ended on 20 December of last year is paid in January
# after the 30-day lag: it falls on this year's budget like an arrear.
c9 := build.contract("C9", {
	"cycle": {"at": "contracts[0].cycle_payment"},
	"cycles": [
		build.cycle(1, "2020-12-20", 1000000),
		build.cycle(2, "2021-03-20", 1000000),
		build.cycle(3, "2021-06-20", 1000000),
		build.cycle(4, "2021-09-20", 1000000),
		build.cycle(5, "2021-12-20", 1000000),
	],
	"fiscal_year": {"due_fen": 4000000, "cycles_ending_fen": 4000000},
})

test_arrears_unbudgeted_carried_cycle if {
	inp := build.input_doc({"contracts": [c9], "budget_lines": [build.line("L9", "C9", 3000000, {})]})
	[f] := build.found("ARREARS_UNBUDGETED") with input as inp
	f.fact == "contracts[0].cycle_payment"
	f.params.period.zh == "～2020-12-20 考核周期"
	f.adjustments == [{"line": "L9", "amount_fen": 1000000}]
}

# Budgeting the carried cycle and the three cycles paid inside the year (the
# December one is paid next year) is exactly the recommendation: nothing to adjust.
test_arrears_unbudgeted_carried_cycle_settled if {
	inp := build.input_doc({"contracts": [c9], "budget_lines": [build.line("L9", "C9", 4000000, {})]})
	every code in {"ARREARS_UNBUDGETED", "ASSESSMENT_CYCLE_UNPAYABLE", "BUDGET_CONTRACT_MISMATCH"} {
		not code in build.codes with input as inp
	}
}
