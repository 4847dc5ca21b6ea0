# Findings about the project's texts as written in the 绩效目标申报表: the
# amounts its 测算依据 states against the declared request, a 项目编码 that a
# spreadsheet turned into scientific notation, target rows partly marked 不适用.
# They matter most for submissions imported from workbooks (budgetcheck import
# xlsx), but read only the facts any submission has.
package budgetcheck.findings

import data.budgetcheck.lib

texts := data.params.texts

# cost_basis_amounts are the amounts derive found in project.cost_basis_text,
# in fen, each with the words before it.
cost_basis_amounts := object.get(input.project, "cost_basis_amounts", [])

stated_total(a) if {
	some word in texts.total_words
	contains(a.before, word)
}

stated_totals := [a.fen | some a in cost_basis_amounts; stated_total(a)]

# cost_basis_total_fen is what 测算依据 says the project costs: its last stated
# total (合计, 共计, = …), else the sum of its amounts.
cost_basis_total_fen := stated_totals[count(stated_totals) - 1] if {
	count(stated_totals) > 0
} else := sum([a.fen | some a in cost_basis_amounts]) if {
	count(cost_basis_amounts) > 0
}

# within_tolerance(a, b) holds when two amounts in fen agree.
within_tolerance(a, b) if abs(a - b) <= texts.amount_tolerance_fen

# unit_factors holds the factors (10000: 元 written under a 万元 heading, or the
# reverse) that make the declared request and the 测算依据 total agree.
unit_factors contains factor if {
	some factor in texts.unit_factors
	within_tolerance(input.project.requested_fen, cost_basis_total_fen * factor)
}

unit_factors contains factor if {
	some factor in texts.unit_factors
	within_tolerance(input.project.requested_fen * factor, cost_basis_total_fen)
}

# unit_evidence is why the request looks like 元 written under 万元 (or the
# reverse): the 测算依据 total times a unit factor, else a request beyond the
# plausible size of one project (params.texts.plausible_max_fen).
unit_evidence contains evidence if {
	some factor in unit_factors
	figures := {"factor": factor, "stated": money(cost_basis_total_fen)}
	evidence := object.union(figures, texts.unit_evidence.stated)
}

unit_evidence contains evidence if {
	count(unit_factors) == 0
	input.project.requested_fen > texts.plausible_max_fen
	figures := {"factor": texts.unit_factors[0], "stated": money(texts.plausible_max_fen)}
	evidence := object.union(figures, texts.unit_evidence.bound)
}

# METADATA
# title: 申报金额单位有误
# description: >-
#   The declared request is the total written in 测算依据 times a unit factor
#   (10000), or beyond the plausible size of one project: an amount in 元 was
#   written where 万元 was asked for, or the reverse.
# custom:
#   code: COSTING_UNIT_MISMATCH
#   severity: warning
#   title_en: Declared amount in the wrong unit
#   basis: 二级项目支出绩效目标申报表 填报说明（金额单位：万元）
findings contains {
	"code": "COSTING_UNIT_MISMATCH",
	"subject": "project",
	"fact": "project.requested_total",
	"params": object.union({"requested": money(input.project.requested_fen)}, evidence),
	"adjustments": [],
} if {
	some evidence in unit_evidence
}

# METADATA
# title: 测算依据与申报金额不符
# description: >-
#   The total written in 测算依据 (its stated 合计, or the sum of its amounts)
#   differs from the declared request by more than the tolerance, and no unit
#   factor explains the difference.
# custom:
#   code: COSTING_AMOUNT_MISMATCH
#   severity: warning
#   title_en: Cost basis does not add up to the request
#   basis: 《成都市市级预算事前绩效评估指标体系》成本测算；二级项目支出绩效目标申报表 测算依据
findings contains {
	"code": "COSTING_AMOUNT_MISMATCH",
	"subject": "project",
	"fact": "project.cost_basis_text",
	"params": {
		"requested": money(input.project.requested_fen),
		"stated": money(cost_basis_total_fen),
		"difference": money(input.project.requested_fen - cost_basis_total_fen),
	},
	"adjustments": [],
} if {
	not within_tolerance(input.project.requested_fen, cost_basis_total_fen)
	count(unit_evidence) == 0
}

# METADATA
# title: 项目编码被科学计数法截断
# description: >-
#   The project code reads like a number in scientific notation (5.10113E+17):
#   a spreadsheet stored it as a number and kept only 15 significant digits.
# custom:
#   code: PROJECT_CODE_MANGLED
#   severity: warning
#   title_en: Project code mangled by scientific notation
#   basis: 预算管理一体化系统 项目编码规则
findings contains {
	"code": "PROJECT_CODE_MANGLED",
	"subject": "project",
	"fact": "project.code",
	"params": {"code": input.project.code},
	"adjustments": [],
} if {
	regex.match(texts.mangled_code_pattern, input.project.code)
}

# partly_not_applicable(t): the name or explanation says 不适用 but the value
# states a target.
partly_not_applicable(t) if {
	not lib.blank(t)
	not lib.not_applicable(t)
	some cell in [t.name, t.explanation]
	trim_space(cell) in lib.params.targets.not_applicable_words
}

# METADATA
# title: 指标部分填写“不适用”
# description: >-
#   Some cells of a target row say 不适用 (the name or the explanation) while the
#   value states a target: whether the indicator applies is unclear.
# custom:
#   code: TARGET_PARTLY_NOT_APPLICABLE
#   severity: warning
#   title_en: Indicator partly marked not applicable
#   basis: 区级项目支出绩效目标审核模板
findings contains {
	"code": "TARGET_PARTLY_NOT_APPLICABLE",
	"subject": t.id,
	"fact": concat("", [t.at, ".value"]),
	"params": {"name": t.name, "level2": t.level2, "value": t.value.text},
	"adjustments": [],
} if {
	some t in input.targets
	partly_not_applicable(t)
}
