# Findings about the performance-target table (绩效目标申报表).
package budgetcheck.findings

import data.budgetcheck.lib

targets := data.params.targets

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
	not sp.id in lib.targeted_subprojects
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
	some t in lib.valued_targets
	t.level2 == targets.level2_quality
	not lib.quality_name(t)
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
	count(input.targets) > 0
	benefit := [t | some t in lib.valued_targets; t.level1 == targets.level1_benefit]
	count([t | some t in benefit; lib.measurable(t.value)]) == 0
}

default first_benefit_fact := "targets"

first_benefit_fact := concat("", [t.at, ".value"]) if {
	rows := [t | some t in input.targets; t.level1 == targets.level1_benefit]
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
	"params": {"level2": level2},
	"adjustments": [],
} if {
	count(input.targets) > 0
	some level2 in lib.mandatory_level2
	not level2 in lib.present_level2
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
	"params": {"name": t.name},
	"adjustments": [],
} if {
	some t in input.targets
	lib.blank(t)
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
	some t in lib.valued_targets
	suffixes := targets.name_suffixes[t.level2]
	not lib.any_suffix(t.name, suffixes)
}

# METADATA
# title: 指标名称过长
# description: A 三级指标 name is params.targets.name_too_long characters or longer.
# custom:
#   code: TARGET_NAME_TOO_LONG
#   severity: info
#   title_en: Indicator name too long
#   basis: 区级项目支出绩效目标审核模板
findings contains {
	"code": "TARGET_NAME_TOO_LONG",
	"subject": t.id,
	"fact": concat("", [t.at, ".name"]),
	"params": {"name": t.name, "length": t.name_length, "limit": targets.name_too_long},
	"adjustments": [],
} if {
	some t in input.targets
	t.name_length >= targets.name_too_long
}

# METADATA
# title: 指标值不可衡量
# description: A value is neither a comparison with a number and unit nor a date ("明显提升", "及时").
# custom:
#   code: TARGET_VALUE_NOT_MEASURABLE
#   severity: warning
#   title_en: Indicator value not measurable
#   basis: 区级项目支出绩效目标审核模板
findings contains {
	"code": "TARGET_VALUE_NOT_MEASURABLE",
	"subject": t.id,
	"fact": concat("", [t.at, ".value"]),
	"params": {"name": t.name, "value": t.value.text},
	"adjustments": [],
} if {
	some t in lib.valued_targets
	t.value.number == ""
	t.value.date == ""
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
	"params": {"name": t.name, "value": t.value.text},
	"adjustments": [],
} if {
	some t in lib.valued_targets
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
	some t in lib.valued_targets
	trim_space(t.explanation) == ""
}
