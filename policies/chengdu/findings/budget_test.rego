package budgetcheck.findings.budget_test

import data.budgetcheck.build_test as build

# --- COST_INCREASE_UNSUPPORTED: 48 asked, 42 last year, no breakdown

test_cost_increase_unsupported_no_breakdown if {
	inp := build.input_doc({"budget_lines": [build.line("L5", "", 48000000, {"prior_year_fen": 42000000})]})
	[f] := build.found("COST_INCREASE_UNSUPPORTED") with input as inp
	f.subject == "L5"
	f.fact == "budget_lines[L5].amount"
	f.params.increase == {"fen": 6000000}
	f.params.prior_year == {"fen": 42000000}
	f.adjustments == []
}

test_cost_increase_unsupported_with_breakdown if {
	line := build.line("L5", "", 48000000, {"prior_year_fen": 42000000, "breakdown": true})
	inp := build.input_doc({"budget_lines": [line]})
	count(build.found("COST_INCREASE_UNSUPPORTED")) == 0 with input as inp
}

test_cost_increase_unsupported_decrease if {
	inp := build.input_doc({"budget_lines": [build.line("L5", "", 40000000, {"prior_year_fen": 42000000})]})
	count(build.found("COST_INCREASE_UNSUPPORTED")) == 0 with input as inp
}

# --- DECLARED_TOTAL_MISMATCH

test_declared_total_mismatch_differs if {
	inp := build.input_doc({
		"project": build.project({"requested_fen": 265204000}),
		"budget_lines": [build.line("L1", "", 256204000, {})],
	})
	[f] := build.found("DECLARED_TOTAL_MISMATCH") with input as inp
	f.fact == "project.requested_total"
	f.params == {"requested": {"fen": 265204000}, "lines_total": {"fen": 256204000}}
}

test_declared_total_mismatch_equal if {
	inp := build.input_doc({
		"project": build.project({"requested_fen": 256204000}),
		"budget_lines": [build.line("L1", "", 200000000, {}), build.line("L2", "", 56204000, {})],
	})
	count(build.found("DECLARED_TOTAL_MISMATCH")) == 0 with input as inp
}

test_declared_total_mismatch_no_lines if {
	inp := build.input_doc({"project": build.project({"requested_fen": 100})})
	count(build.found("DECLARED_TOTAL_MISMATCH")) == 0 with input as inp
}
