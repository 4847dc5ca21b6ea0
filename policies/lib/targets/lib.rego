# METADATA
# title: 绩效目标审核规则库
# description: >-
#   The rules about a project's performance targets and texts (绩效目标申报表),
#   written once and imported by both procedures: the pre-budget evaluation
#   (policies/chengdu) and the target review (policies/target-review). Every
#   word list, pattern and limit is in params.targets and params.texts
#   (policies/lib/targets/data.yaml).
package budgetcheck.targets

conf := data.params.targets

# money(fen) is an amount as a finding's params write it.
money(fen) := {"fen": fen}

# blank(t): the row states no value; not_applicable(t): its value says it
# does not apply (不适用, 无, /, —).
blank(t) if trim_space(t.value.text) == ""

says_not_applicable(text) if trim_space(text) in conf.not_applicable_words

not_applicable(t) if says_not_applicable(t.value.text)

# The rows' classes by index in input.targets, each worked out once per row.
# The rules and indicators ask for them again and again, and OPA evaluated
# blank(t) and says_not_applicable(t) anew at every call: five times per row,
# a quarter of a target review's evaluation steps.
# They are sets built whole (complete rules, cached once per evaluation), not
# partial rules: each reference to a partial set costs OPA more allocations.
# regal ignore:prefer-set-or-object-rule
blank_rows := {i | some i, t in input.targets; blank(t)}

# regal ignore:prefer-set-or-object-rule
not_applicable_rows := {i | some i, t in input.targets; not_applicable(t)}

# measurable_rows: the rows whose value is measurable (measurable below).
# regal ignore:prefer-set-or-object-rule
measurable_rows := {i | some i, t in input.targets; measurable(t.value)}

# valued_rows: the rows that state a value, neither blank nor "not applicable".
# regal ignore:prefer-set-or-object-rule
valued_rows := {i |
	some i, _ in input.targets
	not i in blank_rows
	not i in not_applicable_rows
}

# Target rows that state a value.
valued_targets := [t | some i, t in input.targets; i in valued_rows]

# row_blank(t): nothing written in the row's name, value and explanation.
row_blank(t) if {
	blank(t)
	trim_space(t.name) == ""
	trim_space(t.explanation) == ""
}

filled_targets := [t | some t in input.targets; not row_blank(t)]

# table_empty: the indicator table has no filled row (绩效目标表未填写).
table_empty if count(filled_targets) == 0

# name_length(t) counts the name's characters without the spaces and line
# breaks around it.
name_length(t) := count(trim_space(t.name))

# measurable(v): a comparison, a number and a unit; a date; or one of the
# forms of params.targets.measurable_patterns (time limits and frequencies in
# Chinese numerals: 三小时之内, 每月一次).
measurable(v) if v.date != ""

measurable(v) if {
	v.number != ""
	v.unit != ""
	v.prefix in conf.comparators
}

measurable(v) if {
	some pattern in conf.measurable_patterns
	regex.match(pattern, trim_space(v.text))
}

quality_name(t) if strings.any_suffix_match(trim_space(t.name), conf.quality_suffixes)

# misnamed(t): a row whose name does not fit its level-2 indicator.
misnamed(t) if {
	t.level2 == conf.level2_quality
	not quality_name(t)
}

misnamed(t) if {
	suffixes := conf.name_suffixes[t.level2]
	not strings.any_suffix_match(trim_space(t.name), suffixes)
}

# regal ignore:prefer-set-or-object-rule
targeted_subprojects := {t.subproject | some t in input.targets; t.subproject != ""}

# mandatory_level2 is the level-2 indicators this project must have.
mandatory_level2 := array.concat(conf.mandatory_level2, public) if {
	input.project.public_service
	public := conf.public_service_level2
} else := conf.mandatory_level2

# regal ignore:prefer-set-or-object-rule
present_level2 := {t.level2 | some i, t in input.targets; not i in blank_rows}

# real_level2 are the level-2 indicators with a row that states a value.
# regal ignore:prefer-set-or-object-rule
real_level2 := {t.level2 | some t in valued_targets}

# suggestion(level2) is what to state for a level-2 indicator and a
# measurable value to suggest: {"example": "≤3个工作日", "advice": {zh, en}}.
suggestion(level2) := {"example": ex.value, "advice": ex.advice} if {
	ex := object.get(conf.examples, level2, conf.examples["*"])
}

# declared_only: the submission is a 申报表 (texts and targets), without the
# budget lines whose cost bases the pre-evaluation judges line by line.
declared_only if count(input.budget_lines) == 0
