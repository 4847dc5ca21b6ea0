# Findings about the project's texts as written in the 绩效目标申报表: the
# amounts its 测算依据 states against the declared request, a 项目编码 that a
# spreadsheet turned into scientific notation, target rows partly marked 不适用.
# They matter most for submissions imported from workbooks (budgetcheck import
# xlsx), but read only the facts any submission has. Also whether 政策依据 cites
# a document, 测算依据 shows a computation and 年度目标 says what will be done.
package budgetcheck.targets

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

# partly_not_applicable(t): a row that states a value (valued_targets) whose
# name or explanation says 不适用.
partly_not_applicable(t) if {
	some cell in [t.name, t.explanation]
	says_not_applicable(cell)
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
	some t in valued_targets
	partly_not_applicable(t)
}

# --- 政策依据

# cites_document(d): a policy-basis entry names a document: a title in 《…》
# (whatever it holds), a 发文字号 (成办发〔2019〕36号, [2021]12号) in its number
# or its title, or a short title ending in a document's kind (…意见, …办法).
cites_document(d) if regex.match(texts.citation.title_pattern, d.title)

cites_document(d) if {
	some text in [d.title, d.number]
	regex.match(texts.citation.number_pattern, text)
}

cites_document(d) if {
	title := trim_space(d.title)
	count(title) <= texts.citation.title_max_length
	some kind in texts.citation.document_kinds
	endswith(title, kind)
}

policy_basis_text := concat("；", [trim_space(concat(" ", [d.title, d.number])) | some d in input.project.policy_basis])

# METADATA
# title: 未填写政策依据
# description: The project states no policy basis (政策依据) at all.
# custom:
#   code: POLICY_BASIS_MISSING
#   severity: warning
#   title_en: Policy basis missing
#   basis: 财预〔2015〕88号 绩效目标设定依据（国家相关法律法规和规章制度、国民经济和社会发展规划）
findings contains {
	"code": "POLICY_BASIS_MISSING",
	"subject": "project",
	"fact": "project.policy_basis",
	"params": {},
	"adjustments": [],
} if {
	trim_space(policy_basis_text) == ""
}

# METADATA
# title: 政策依据未引用文件
# description: >-
#   政策依据 is written, but cites no document: neither a title in 《…》 nor a
#   发文字号 (a paragraph of background instead of the documents relied on).
# custom:
#   code: POLICY_BASIS_NO_DOCUMENT
#   severity: warning
#   title_en: Policy basis cites no document
#   basis: 财预〔2015〕88号 绩效目标设定依据；区级项目支出绩效目标审核模板（政策依据应列明文件名称及文号）
findings contains {
	"code": "POLICY_BASIS_NO_DOCUMENT",
	"subject": "project",
	"fact": "project.policy_basis",
	"params": {"text": excerpt(policy_basis_text)},
	"adjustments": [],
} if {
	trim_space(policy_basis_text) != ""
	not any_cited
}

any_cited if {
	some d in input.project.policy_basis
	cites_document(d)
}

# excerpt(s) is the start of a long text, for a message.
excerpt(s) := concat("", [substring(trim_space(s), 0, texts.excerpt_length), "…"]) if {
	count(trim_space(s)) > texts.excerpt_length
} else := trim_space(s)

# --- 测算依据

# shows_computation(text): 测算依据 shows how the amount is computed: a
# quantity times a unit price, a rate times a base, or a named standard.
shows_computation(text) if {
	some pattern in texts.costing.computation_patterns
	regex.match(pattern, text)
}

# METADATA
# title: 未填写测算依据
# description: >-
#   A 申报表 (no budget lines) gives no 测算依据: nothing shows how the amount
#   requested was arrived at.
# custom:
#   code: COST_BASIS_MISSING
#   severity: warning
#   title_en: Cost basis missing
#   basis: 财预〔2015〕88号 可行性审核（绩效目标是否经过充分论证和合理测算）
findings contains {
	"code": "COST_BASIS_MISSING",
	"subject": "project",
	"fact": "project.cost_basis_text",
	"params": {"requested": money(input.project.requested_fen)},
	"adjustments": [],
} if {
	declared_only
	trim_space(object.get(input.project, "cost_basis_text", "")) == ""
}

# METADATA
# title: 测算依据未列明测算过程
# description: >-
#   测算依据 is prose or a bare amount ("根据实际需要安排", "以每年19.38万安排"):
#   it shows neither a quantity times a unit price, a rate times a base, nor
#   the standard the amount follows.
# custom:
#   code: COST_BASIS_NO_COMPUTATION
#   severity: warning
#   title_en: Cost basis shows no computation
#   basis: 财预〔2015〕88号 可行性审核、适当性审核（资金规模与绩效目标是否匹配）
findings contains {
	"code": "COST_BASIS_NO_COMPUTATION",
	"subject": "project",
	"fact": "project.cost_basis_text",
	"params": {"text": excerpt(text), "requested": money(input.project.requested_fen)},
	"adjustments": [],
} if {
	declared_only
	text := trim_space(object.get(input.project, "cost_basis_text", ""))
	text != ""
	not shows_computation(text)
}

# --- 年度目标

# goal_rest is what 年度目标 says besides the project's name and the filler
# words of params.texts.annual_goal.filler_pattern.
goal_rest := regex.replace(
	replace(trim_space(input.project.annual_goal), trim_space(input.project.name), ""),
	texts.annual_goal.filler_pattern, "",
)

# METADATA
# title: 未填写年度目标
# description: The project states no annual goal (年度目标).
# custom:
#   code: ANNUAL_GOAL_MISSING
#   severity: warning
#   title_en: Annual goal missing
#   basis: 财预〔2015〕88号 完整性审核（绩效目标的内容是否完整，是否明确、清晰）
findings contains {
	"code": "ANNUAL_GOAL_MISSING",
	"subject": "project",
	"fact": "project.annual_goal",
	"params": {},
	"adjustments": [],
} if {
	trim_space(input.project.annual_goal) == ""
}

# METADATA
# title: 年度目标未说明做什么
# description: >-
#   年度目标 repeats the project's name (or a few filler words) without saying
#   what will be done and achieved this year: no quantity, no rate, no date.
# custom:
#   code: ANNUAL_GOAL_VAGUE
#   severity: warning
#   title_en: Annual goal says nothing beyond the name
#   basis: 财预〔2015〕88号 完整性审核（绩效目标是否明确、清晰）
findings contains {
	"code": "ANNUAL_GOAL_VAGUE",
	"subject": "project",
	"fact": "project.annual_goal",
	"params": {"goal": trim_space(input.project.annual_goal)},
	"adjustments": [],
} if {
	trim_space(input.project.annual_goal) != ""
	count(goal_rest) < texts.annual_goal.min_chars
	not regex.match(texts.annual_goal.concrete_pattern, goal_rest)
}
