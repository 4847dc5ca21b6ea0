package output

import "github.com/budgetcheck/budgetcheck/evaluator/ruleset"

// labels are the words of the report around the ruleset's own texts.
var labels = map[string]ruleset.Text{
	"title":        {Zh: "预算事前绩效评估结果", En: "Pre-budget performance evaluation"},
	"file":         {Zh: "文件", En: "File"},
	"project":      {Zh: "项目", En: "Project"},
	"unit":         {Zh: "预算单位", En: "Budget unit"},
	"year":         {Zh: "预算年度", En: "Fiscal year"},
	"ruleset":      {Zh: "规则集", En: "Ruleset"},
	"basic":        {Zh: "实施基础评估", En: "Basic assessment"},
	"passed":       {Zh: "通过", En: "passed"},
	"failed":       {Zh: "未通过", En: "failed"},
	"indicators":   {Zh: "实质性评估", En: "Substantive assessment"},
	"group":        {Zh: "一级指标", En: "Group"},
	"indicator":    {Zh: "二级指标", En: "Indicator"},
	"max":          {Zh: "满分", En: "Max"},
	"grade":        {Zh: "等级", En: "Grade"},
	"points":       {Zh: "得分", En: "Points"},
	"reason":       {Zh: "理由", En: "Reason"},
	"na":           {Zh: "不适用", En: "n/a"},
	"total":        {Zh: "合计", En: "Total"},
	"score":        {Zh: "评估得分", En: "Score"},
	"applicable":   {Zh: "个适用指标", En: "applicable indicators"},
	"conclusion":   {Zh: "评估结论", En: "Conclusion"},
	"findings":     {Zh: "存在的问题", En: "Findings"},
	"none":         {Zh: "无", En: "none"},
	"error":        {Zh: "错误", En: "error"},
	"warning":      {Zh: "警告", En: "warning"},
	"info":         {Zh: "提示", En: "info"},
	"waived":       {Zh: "已豁免", En: "waived"},
	"budget":       {Zh: "建议预算", En: "Recommended budget"},
	"line":         {Zh: "编号", En: "Line"},
	"name":         {Zh: "名称", En: "Name"},
	"requested":    {Zh: "申报", En: "Requested"},
	"recommended":  {Zh: "建议", En: "Recommended"},
	"change":       {Zh: "调整", En: "Change"},
	"new":          {Zh: "（新增）", En: " (new)"},
	"adjustment":   {Zh: "调整", En: "adjust"},
	"input":        {Zh: "输入错误", En: "Input errors"},
	"baseline_new": {Zh: "新增", En: "new"},
	"resolved":     {Zh: "已解决的问题（与基线相比）", En: "Resolved since the baseline"},
	// the target review (绩效目标审核)
	"review_title": {Zh: "绩效目标审核结果", En: "Performance-target review"},
	"review_grade": {Zh: "审核结果", En: "Result"},
	"consequence":  {Zh: "处理", En: "Consequence"},
	"notes":        {Zh: "审核意见", En: "Review notes"},
	"no_notes":     {Zh: "无（绩效目标符合要求）", En: "none (the targets meet the requirements)"},
	"request":      {Zh: "申报金额", En: "Requested"},
}

func label(key, lang string) string { return labels[key].In(lang) }
