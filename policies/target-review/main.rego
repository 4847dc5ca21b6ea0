# METADATA
# title: The target review's result
# description: >-
#   The one document budgetcheck queries for a 绩效目标审核: the findings of the
#   target library and the grade they give (review.rego). The grade's name,
#   its consequence and the numbered 审核意见 are written from the data in Go.
package budgetcheck.main

import data.budgetcheck.review
import data.budgetcheck.targets

# METADATA
# title: Result
# description: The query budgetcheck evaluates, data.budgetcheck.main.result.
# entrypoint: true
result := {
	"findings": targets.findings,
	"review": review.outcome,
}
