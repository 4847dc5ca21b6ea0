package output

import "github.com/budgetcheck/budgetcheck/evaluator/ruleset"

// ciLabels are the words of the CI formats (sarif, junit, github, markdown)
// around the ruleset's own texts.
var ciLabels = map[string]ruleset.Text{
	"basis":       {Zh: "依据", En: "Basis"},
	"waived":      {Zh: "已豁免", En: "waived"},
	"reason":      {Zh: "理由", En: "reason"},
	"approved_by": {Zh: "批准人", En: "approved by"},
	"expires":     {Zh: "有效期至", En: "expires"},
	"new":         {Zh: "新增", En: "new"},
	"unchanged":   {Zh: "未变", En: "unchanged"},
	"resolved":    {Zh: "已解决的问题", En: "Resolved findings"},
	"severity":    {Zh: "级别", En: "Severity"},
	"code":        {Zh: "代码", En: "Code"},
	"location":    {Zh: "位置", En: "Location"},
	"message":     {Zh: "说明", En: "Message"},
	"adjustment":  {Zh: "预算调整", En: "Adjustment"},
	"state":       {Zh: "基线", En: "Baseline"},
	"changes":     {Zh: "预算调整明细", En: "Budget changes"},
	"no_changes":  {Zh: "无预算调整", En: "No budget changes"},
	"no_findings": {Zh: "未发现问题", En: "No findings"},
	"points":      {Zh: "得分", En: "points"},
	"na":          {Zh: "不适用", En: "not applicable"},
	"lost":        {Zh: "失分", En: "points lost"},
}

func ciLabel(key, lang string) string { return ciLabels[key].In(lang) }
