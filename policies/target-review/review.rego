# METADATA
# title: 审核结果（优、良、中、差）
# description: >-
#   The grade of a target review, from the findings, by params.review: each
#   finding code counts its weight per finding (at most its cap) in its review
#   area (完整性, 相关性, 适当性, 可行性); the first grade whose bounds hold the
#   total and every area's points wins; a finding of params.review.forced.codes
#   gives params.review.forced.grade whatever the points.
# custom:
#   basis: 财预〔2015〕88号 绩效目标的审核（审核内容：完整性、相关性、适当性、可行性；审核结果：优、良、中、差）
package budgetcheck.review

import data.budgetcheck.targets

conf := data.params.review

# counted[code] is what the findings of a code count: weight × number, at most cap.
counted := weighed(targets.findings)

# weighed(fs) counts the findings fs by code. They come in as one value: a
# reference to the partial rule targets.findings inside the loop would cost
# its building again for every code.
weighed(fs) := {code: min([n * w.weight, object.get(w, "cap", n * w.weight)]) |
	some code in {f.code | some f in fs}
	w := conf.weights[code]
	n := count([f | some f in fs; f.code == code])
}

# areas[area] is the points of the findings of a review area.
# regal ignore:prefer-set-or-object-rule
areas := {area: sum([n | some code, n in counted; conf.weights[code].area == area]) |
	some area, _ in conf.areas
}

points := sum([n | some n in counted])

forced contains f.code if {
	some f in targets.findings
	f.code in conf.forced.codes
}

# holds(g): the total and every area stay within the grade's bounds.
holds(g) if {
	points <= object.get(g, "max_points", points)
	every _, n in areas {
		n <= object.get(g, "max_area_points", n)
	}
}

grade := conf.forced.grade if {
	count(forced) > 0
} else := conf.grades[min([i | some i, g in conf.grades; holds(g)])].code

# METADATA
# title: Outcome
# description: The grade's code (excellent, good, fair, poor), the points and why.
outcome := {
	"grade": grade,
	"points": points,
	"areas": areas,
	"forced": sort([c | some c in forced]),
}
