package budgetcheck.targets.targets_test

import data.budgetcheck.targets.build_test as build

# one sub-project with a complete, well-formed target table
complete := build.input_doc({"subprojects": [build.subproject("S1", {})], "targets": build.complete_targets("S1")})

# complete plus one extra row
with_row(row) := build.input_doc({
	"subprojects": [build.subproject("S1", {})],
	"targets": array.concat(build.complete_targets("S1"), [row]),
})

test_complete_table_has_no_target_findings if {
	build.codes == set() with input as complete
}

# --- TARGETS_INCOMPLETE

test_targets_incomplete_subproject_without_targets if {
	inp := build.input_doc({
		"subprojects": [build.subproject("S1", {}), build.subproject("S2", {"at": "subprojects[1]"})],
		"targets": build.complete_targets("S1"),
	})
	[f] := build.found("TARGETS_INCOMPLETE") with input as inp
	f.subject == "S2"
	f.fact == "subprojects[1]"
}

test_targets_incomplete_all_covered if {
	count(build.found("TARGETS_INCOMPLETE")) == 0 with input as complete
}

# --- QUALITY_INDICATOR_MISCLASSIFIED

test_quality_indicator_misclassified_benefit_statement if {
	row := build.target("Q", {"level2": "质量", "name": "群众满意度提升", "value": build.value("明显提升", "", "", "", "")})
	[f] := build.found("QUALITY_INDICATOR_MISCLASSIFIED") with input as with_row(row)
	f.subject == "Q"
	f.fact == "targets[Q].name"
	f.params == {"name": "群众满意度提升", "value": "明显提升"}
}

test_quality_indicator_misclassified_rate if {
	row := build.target("Q", {"level2": "质量", "name": "系统正常运行率", "value": build.rate})
	count(build.found("QUALITY_INDICATOR_MISCLASSIFIED")) == 0 with input as with_row(row)
}

# --- BENEFIT_NOT_QUANTIFIED

test_benefit_not_quantified_vague if {
	inp := build.input_doc({"targets": [build.benefit("B", build.vague)]})
	[f] := build.found("BENEFIT_NOT_QUANTIFIED") with input as inp
	f.fact == "targets[B].value"
	f.params == {"benefit_rows": 1}
}

test_benefit_not_quantified_no_benefit_row if {
	inp := build.input_doc({"targets": [build.target("T1", {})]})
	[f] := build.found("BENEFIT_NOT_QUANTIFIED") with input as inp
	f.fact == "targets"
	f.params == {"benefit_rows": 0}
}

test_benefit_not_quantified_quantified if {
	count(build.found("BENEFIT_NOT_QUANTIFIED")) == 0 with input as complete
}

# --- TARGET_MANDATORY_MISSING

test_target_mandatory_missing_level2 if {
	inp := build.input_doc({"targets": [build.target("T1", {})]})
	missing := {f.subject | some f in build.found("TARGET_MANDATORY_MISSING")} with input as inp
	missing == {"质量", "时效", "成本", "社会效益"}
}

test_target_mandatory_missing_public_service if {
	inp := object.union(complete, {"project": build.project({"public_service": true})})
	[f] := build.found("TARGET_MANDATORY_MISSING") with input as inp
	f.subject == "服务对象满意度"
}

test_target_mandatory_missing_not_applicable_counts if {
	# a row that says 不适用 is present
	row := build.target("S", {"level1": "满意度", "level2": "服务对象满意度", "name": "服务对象满意度", "value": build.not_applicable})
	inp := object.union(with_row(row), {"project": build.project({"public_service": true})})
	count(build.found("TARGET_MANDATORY_MISSING")) == 0 with input as inp
}

# --- TARGET_VALUE_BLANK

test_target_value_blank_empty if {
	row := build.target("E", {"value": build.value(" ", "", "", "", "")})
	[f] := build.found("TARGET_VALUE_BLANK") with input as with_row(row)
	f.subject == "E"
	f.fact == "targets[E].value"
}

test_target_value_blank_not_applicable if {
	row := build.target("E", {"value": build.value("不适用", "", "", "", "")})
	count(build.found("TARGET_VALUE_BLANK")) == 0 with input as with_row(row)
}

# --- TARGET_NAME_SUFFIX

test_target_name_suffix_timeliness if {
	row := build.target("D", {"level2": "时效", "name": "按时完成", "value": build.value("2021年12月前", "", "", "", "2021-12")})
	[f] := build.found("TARGET_NAME_SUFFIX") with input as with_row(row)
	f.params.level2 == "时效"
	f.params.suffixes == "及时性、及时率、时间、时限、周期"
}

test_target_name_suffix_cost if {
	row := build.target("C", {"level2": "成本", "name": "预算执行", "value": build.value("≤80万元", "≤", "80", "万元", "")})
	count(build.found("TARGET_NAME_SUFFIX")) == 1 with input as with_row(row)
}

test_target_name_suffix_fits if {
	row := build.target("D", {"level2": "时效", "name": "完成时限", "value": build.value("2021年12月前", "", "", "", "2021-12")})
	count(build.found("TARGET_NAME_SUFFIX")) == 0 with input as with_row(row)
}

# --- TARGET_NAME_TOO_LONG: 15 characters or more

test_target_name_too_long_15 if {
	row := build.target("L", {"name": "政务服务综合管理平台功能模块数"})
	[f] := build.found("TARGET_NAME_TOO_LONG") with input as with_row(row)
	f.params == {"name": "政务服务综合管理平台功能模块数", "length": 15, "limit": 15}
}

test_target_name_too_long_14 if {
	row := build.target("L", {"name": "政务服务平台功能模块升级数量"})
	count(build.found("TARGET_NAME_TOO_LONG")) == 0 with input as with_row(row)
}

# --- TARGET_VALUE_NOT_MEASURABLE

test_target_value_not_measurable_words if {
	row := build.target("V", {"value": build.value("及时", "", "", "", "")})
	[f] := build.found("TARGET_VALUE_NOT_MEASURABLE") with input as with_row(row)
	f.params.name == "功能模块数"
	f.params.value == "及时"
	f.params.example == "≥10个"
}

test_target_value_not_measurable_date if {
	row := build.target("V", {"value": build.value("2021年5月前", "", "", "", "2021-05")})
	count(build.found("TARGET_VALUE_NOT_MEASURABLE")) == 0 with input as with_row(row)
}

# --- TARGET_VALUE_NO_UNIT

test_target_value_no_unit_bare_number if {
	row := build.target("N", {"value": build.value("15", "", "15", "", "")})
	[f] := build.found("TARGET_VALUE_NO_UNIT") with input as with_row(row)
	f.subject == "N"
}

test_target_value_no_unit_with_unit if {
	count(build.found("TARGET_VALUE_NO_UNIT")) == 0 with input as complete
}

# --- TARGET_EXPLANATION_MISSING

test_target_explanation_missing_blank if {
	row := build.target("X", {"explanation": ""})
	[f] := build.found("TARGET_EXPLANATION_MISSING") with input as with_row(row)
	f.fact == "targets[X].explanation"
}

test_target_explanation_missing_present if {
	count(build.found("TARGET_EXPLANATION_MISSING")) == 0 with input as complete
}
