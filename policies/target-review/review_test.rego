package budgetcheck.review_test

import data.budgetcheck.main
import data.budgetcheck.review
import data.budgetcheck.targets.build_test as build

# good is a 申报表 with nothing to say.
good := build.declared({}, build.complete_targets("S1"))

with_rows(rows) := build.declared({}, array.concat(build.complete_targets("S1"), rows))

vague(id, level2) := build.target(id, {"level2": level2, "name": "完成时间", "value": build.text("及时")})

test_outcome_excellent_without_findings if {
	r := main.result with input as good
	r.findings == set()
	r.review.grade == "excellent"
	r.review.points == 0
	r.review.forced == []
	r.review.areas == {"completeness": 0, "relevance": 0, "appropriateness": 0, "feasibility": 0}
}

test_grade_excellent_one_point if {
	# one name too long: 1 point
	row := build.target("L", {"name": "政务服务综合管理平台功能模块数"})
	review.points == 1 with input as with_rows([row])
	review.grade == "excellent" with input as with_rows([row])
}

test_grade_good_within_bounds if {
	# two values not measurable: 4 points, relevance 4 > 3 → not 良
	rows := [vague("V1", "时效"), vague("V2", "时效")]
	review.points == 4 with input as with_rows(rows)
	review.grade == "fair" with input as with_rows(rows)

	# one: 2 points in relevance → 良
	review.grade == "good" with input as with_rows([vague("V1", "时效")])
}

test_grade_cap_per_code if {
	rows := [vague(id, "时效") | some id in ["V1", "V2", "V3", "V4", "V5", "V6"]]
	review.counted.TARGET_VALUE_NOT_MEASURABLE == 8 with input as with_rows(rows)
}

test_grade_poor_over_bounds if {
	texts := {
		"policy_basis": [{"title": "根据区委区政府工作安排开展本项工作", "number": ""}],
		"cost_basis_text": "根据实际需要安排",
		"annual_goal": "测试项目",
	}
	inp := build.declared(texts, array.concat(build.complete_targets("S1"), [vague("V1", "时效"), vague("V2", "时效")]))
	review.points == 13 with input as inp
	review.areas.feasibility == 3 with input as inp
	review.grade == "poor" with input as inp
}

test_grade_forced_poor_by_empty_table if {
	inp := build.declared({}, [])
	review.forced == {"TARGETS_TABLE_EMPTY"} with input as inp
	review.grade == "poor" with input as inp
	[f.code | some f in main.result.findings] == ["TARGETS_TABLE_EMPTY"] with input as inp
}
