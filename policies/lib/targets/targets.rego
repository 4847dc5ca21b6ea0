# Findings about the performance-target table (绩效目标申报表): whether it is
# filled, whether the mandatory categories carry real indicators, and each
# row's name, value and explanation.
package budgetcheck.targets

# METADATA
# title: 绩效目标表未填写
# description: >-
#   The indicator table has no filled row. It is one finding, and the table's
#   other rules stay silent: there is nothing to judge row by row.
# custom:
#   code: TARGETS_TABLE_EMPTY
#   severity: error
#   title_en: Target table not filled in
#   basis: 财预〔2015〕88号 绩效目标的设定（绩效目标应从数量、质量、时效、成本、效益、满意度等方面细化）
findings contains {
	"code": "TARGETS_TABLE_EMPTY",
	"subject": "targets",
	"fact": "targets",
	"params": {"rows": count(input.targets)},
	"adjustments": [],
} if {
	table_empty
}

# METADATA
# title: 绩效目标不完整
# description: A sub-project has no performance indicators at all.
# custom:
#   code: TARGETS_INCOMPLETE
#   severity: warning
#   title_en: Targets incomplete
#   basis: 《成都市市级预算事前绩效评估指标体系》绩效目标完整性
findings contains {
	"code": "TARGETS_INCOMPLETE",
	"subject": sp.id,
	"fact": sp.at,
	"params": {"subproject": sp.id, "subproject_name": sp.name},
	"adjustments": [],
} if {
	some sp in input.subprojects
	not sp.id in targeted_subprojects
}

# METADATA
# title: 质量指标设置不当
# description: A quality (质量) indicator is a benefit statement instead of a rate.
# custom:
#   code: QUALITY_INDICATOR_MISCLASSIFIED
#   severity: warning
#   title_en: Quality indicator misclassified
#   basis: 《成都市市级预算事前绩效评估指标体系》绩效目标准确性；GB/T 42584-2023
findings contains {
	"code": "QUALITY_INDICATOR_MISCLASSIFIED",
	"subject": t.id,
	"fact": concat("", [t.at, ".name"]),
	"params": {"name": t.name, "value": t.value.text},
	"adjustments": [],
} if {
	some t in valued_targets
	t.level2 == conf.level2_quality
	not quality_name(t)
	not says_not_applicable(t.name) # TARGET_PARTLY_NOT_APPLICABLE says it
}

# METADATA
# title: 效益指标未量化
# description: No benefit (效益) indicator has a measurable value.
# custom:
#   code: BENEFIT_NOT_QUANTIFIED
#   severity: warning
#   title_en: Benefit not quantified
#   basis: 《成都市市级预算事前绩效评估指标体系》绩效目标量化
findings contains {
	"code": "BENEFIT_NOT_QUANTIFIED",
	"subject": "targets",
	"fact": first_benefit_fact,
	"params": {"benefit_rows": count(benefit)},
	"adjustments": [],
} if {
	not table_empty
	benefit := [i | some i in valued_rows; input.targets[i].level1 == conf.level1_benefit]
	count([i | some i in benefit; i in measurable_rows]) == 0
}

default first_benefit_fact := "targets"

first_benefit_fact := concat("", [t.at, ".value"]) if {
	rows := [t | some t in input.targets; t.level1 == conf.level1_benefit]
	t := rows[0]
}

# METADATA
# title: 缺少必填二级指标
# description: A mandatory level-2 indicator has no row (write 不适用 where it does not apply).
# custom:
#   code: TARGET_MANDATORY_MISSING
#   severity: warning
#   title_en: Mandatory indicator missing
#   basis: 区级项目支出绩效目标审核模板
findings contains {
	"code": "TARGET_MANDATORY_MISSING",
	"subject": level2,
	"fact": "targets",
	"params": object.union({"level2": level2}, suggestion(level2)),
	"adjustments": [],
} if {
	not table_empty
	some level2 in mandatory_level2
	not level2 in present_level2
}

# METADATA
# title: 指标值为空
# description: A row has no value; a row that does not apply says 不适用.
# custom:
#   code: TARGET_VALUE_BLANK
#   severity: warning
#   title_en: Indicator value blank
#   basis: 区级项目支出绩效目标审核模板
findings contains {
	"code": "TARGET_VALUE_BLANK",
	"subject": t.id,
	"fact": concat("", [t.at, ".value"]),
	"params": object.union({"name": t.name, "level2": t.level2}, suggestion(t.level2)),
	"adjustments": [],
} if {
	not table_empty
	some i in blank_rows
	t := input.targets[i]
}

# METADATA
# title: 指标名称不规范
# description: A timeliness or cost indicator's name does not end in the words its level-2 indicator calls for.
# custom:
#   code: TARGET_NAME_SUFFIX
#   severity: warning
#   title_en: Indicator name does not fit its category
#   basis: 区级项目支出绩效目标审核模板
findings contains {
	"code": "TARGET_NAME_SUFFIX",
	"subject": t.id,
	"fact": concat("", [t.at, ".name"]),
	"params": {"name": t.name, "level2": t.level2, "suffixes": concat("、", suffixes)},
	"adjustments": [],
} if {
	some t in valued_targets
	suffixes := conf.name_suffixes[t.level2]
	not strings.any_suffix_match(trim_space(t.name), suffixes)
	not says_not_applicable(t.name) # TARGET_PARTLY_NOT_APPLICABLE says it
}

# METADATA
# title: 指标名称过长
# description: A 三级指标 name is params.conf.name_too_long characters or longer.
# custom:
#   code: TARGET_NAME_TOO_LONG
#   severity: info
#   title_en: Indicator name too long
#   basis: 区级项目支出绩效目标审核模板
findings contains {
	"code": "TARGET_NAME_TOO_LONG",
	"subject": t.id,
	"fact": concat("", [t.at, ".name"]),
	"params": {"name": trim_space(t.name), "length": name_length(t), "limit": conf.name_too_long},
	"adjustments": [],
} if {
	some t in input.targets
	name_length(t) >= conf.name_too_long
}

# METADATA
# title: 指标值不可衡量
# description: >-
#   A value is neither a comparison with a number and unit, a percentage, a date
#   nor a time limit or frequency (三小时之内, 每月一次): "及时", "明显提升",
#   "按合同要求" cannot be checked at the end of the year.
# custom:
#   code: TARGET_VALUE_NOT_MEASURABLE
#   severity: warning
#   title_en: Indicator value not measurable
#   basis: 财预〔2021〕101号 指标值设定（定量指标用数值、比率、时限表述）；区级项目支出绩效目标审核模板
findings contains {
	"code": "TARGET_VALUE_NOT_MEASURABLE",
	"subject": t.id,
	"fact": concat("", [t.at, ".value"]),
	"params": object.union({"name": t.name, "value": t.value.text, "level2": t.level2}, suggestion(t.level2)),
	"adjustments": [],
} if {
	some i in valued_rows
	not i in measurable_rows
	t := input.targets[i]
	t.value.number == ""
}

# METADATA
# title: 指标值缺少单位
# description: A value is a bare number without a unit.
# custom:
#   code: TARGET_VALUE_NO_UNIT
#   severity: warning
#   title_en: Indicator value without unit
#   basis: 区级项目支出绩效目标审核模板
findings contains {
	"code": "TARGET_VALUE_NO_UNIT",
	"subject": t.id,
	"fact": concat("", [t.at, ".value"]),
	"params": object.union({"name": t.name, "value": t.value.text, "level2": t.level2}, suggestion(t.level2)),
	"adjustments": [],
} if {
	some i in valued_rows
	not i in measurable_rows
	t := input.targets[i]
	t.value.number != ""
	t.value.unit == ""
}

# METADATA
# title: 缺少指标解释
# description: A row has no explanation of what it measures (考察/反映).
# custom:
#   code: TARGET_EXPLANATION_MISSING
#   severity: info
#   title_en: Indicator explanation missing
#   basis: 区级项目支出绩效目标审核模板
findings contains {
	"code": "TARGET_EXPLANATION_MISSING",
	"subject": t.id,
	"fact": concat("", [t.at, ".explanation"]),
	"params": {"name": t.name},
	"adjustments": [],
} if {
	some t in valued_targets
	trim_space(t.explanation) == ""
}

# METADATA
# title: 必填指标填写“不适用”
# description: >-
#   A mandatory level-2 indicator (数量, 质量, 时效, 成本, 社会效益; 满意度 for
#   services to the public) has rows, but none states a value: 不适用, 无, /
#   or — stands where a real indicator is required.
# custom:
#   code: TARGET_MANDATORY_NOT_APPLICABLE
#   severity: warning
#   title_en: Mandatory indicator marked not applicable
#   basis: 财预〔2021〕101号 核心绩效指标设置（产出、效益指标应全面设置）；区级项目支出绩效目标审核模板
findings contains {
	"code": "TARGET_MANDATORY_NOT_APPLICABLE",
	"subject": t.level2,
	"fact": concat("", [t.at, ".value"]),
	"params": object.union({"level2": t.level2, "name": t.name, "value": t.value.text}, suggestion(t.level2)),
	"adjustments": [],
} if {
	some level2 in mandatory_level2
	not level2 in real_level2
	rows := [r | some i, r in input.targets; r.level2 == level2; i in not_applicable_rows]
	t := rows[0]
}

# METADATA
# title: 不适用指标填写不完整
# description: >-
#   A row that does not apply (its value says 不适用) leaves its name or its
#   explanation blank: a row that does not apply says 不适用 in every cell.
# custom:
#   code: TARGET_NOT_APPLICABLE_INCOMPLETE
#   severity: info
#   title_en: Not-applicable row incomplete
#   basis: 区级项目支出绩效目标审核模板
findings contains {
	"code": "TARGET_NOT_APPLICABLE_INCOMPLETE",
	"subject": t.id,
	"fact": concat("", [t.at, ".", field]),
	"params": {"level2": t.level2, "field": cell},
	"adjustments": [],
} if {
	some i in not_applicable_rows
	t := input.targets[i]
	field := first_blank_cell(t)
	cell := conf.cell_names[field]
}

first_blank_cell(t) := "name" if trim_space(t.name) == ""

first_blank_cell(t) := "explanation" if {
	trim_space(t.name) != ""
	trim_space(t.explanation) == ""
}
