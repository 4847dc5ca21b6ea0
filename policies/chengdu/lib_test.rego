package budgetcheck.lib_test

import data.budgetcheck.build_test as build
import data.budgetcheck.lib

grades := [{"grade": "高", "min": 1}, {"grade": "中", "min": 0.3}, {"grade": "低"}]

test_grade_first_that_holds if {
	lib.grade(grades, 1).grade == "高"
	lib.grade(grades, 0.5).grade == "中"
	lib.grade(grades, 0.3).grade == "中"
	lib.grade(grades, 0).grade == "低"
}

test_grade_max_bound if {
	bands := [{"grade": "规范", "max": 5}, {"grade": "较规范", "max": 20}, {"grade": "不规范"}]
	lib.grade(bands, 5).grade == "规范"
	lib.grade(bands, 5.01).grade == "较规范"
	lib.grade(bands, 21).grade == "不规范"
}

test_grade_none_holds if {
	not lib.grade([{"grade": "高", "min": 1}], 0.5)
}

test_ratio_nothing_to_cover if {
	lib.ratio(0, 0) == 1
	lib.ratio(1, 4) == 0.25
}

test_pay_year_lag if {
	lib.pay_year("2021-11-30") == 2021
	lib.pay_year("2021-12-01") == 2021
	lib.pay_year("2021-12-02") == 2022
	lib.pay_year("2021-12-31") == 2022
}

test_pay_year_no_lag if {
	lib.pay_year("2021-12-31") == 2021 with data.params.payment.lag_days as 0
}

test_payable_fen_due_plus_arrears_less_cuts if {
	c := build.contract("C", {
		"components": [{"kind": "maintenance", "service_start": null, "assessment_criteria": false}],
		"instalments": [
			build.instalment(1, 50, 2020, {"maintenance_fen": 10}),
			build.instalment(2, 900, 2021, {"maintenance_fen": 200}),
			build.instalment(3, 300, 2022, {"maintenance_fen": 60}),
		],
		"cycles": [build.cycle(1, "2021-12-31", 100)],
		"fiscal_year": {"due_fen": 1000, "maintenance_due_fen": 200, "arrears_fen": 50, "predecessor_arrears_fen": 25},
	})

	# the maintenance of the arrear (10) is prepaid too, not only that of the
	# instalment due this year (200); next year's (60) is not this year's
	lib.payable_fen(c) == ((1000 + 75) - 210) - 100 with input as build.input_doc({})
}

test_maintenance_prepaid_without_start if {
	lib.maintenance_prepaid({"kind": "maintenance", "service_start": null, "assessment_criteria": true})
	next_year := {"kind": "maintenance", "service_start": "2022-01-01", "assessment_criteria": true}
	lib.maintenance_prepaid(next_year) with input as build.input_doc({})
	this_year := {"kind": "maintenance", "service_start": "2021-01-01", "assessment_criteria": true}
	not lib.maintenance_prepaid(this_year) with input as build.input_doc({})
}
