module github.com/budgetcheck/budgetcheck/ci/load

go 1.26.0
