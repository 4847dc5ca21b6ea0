package summary

import (
	"fmt"

	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
)

// labels are the words of the summaries.
var labels = map[string]ruleset.Text{
	"sheet.summary":    {Zh: "汇总", En: "Summary"},
	"sheet.findings":   {Zh: "问题清单", En: "Findings"},
	"sheet.changes":    {Zh: "调整明细", En: "Changes"},
	"title":            {Zh: "预算事前绩效评估汇总", En: "Pre-budget performance evaluation: summary"},
	"rank":             {Zh: "排名", En: "Rank"},
	"file":             {Zh: "文件", En: "File"},
	"sheet":            {Zh: "工作表", En: "Sheet"},
	"project_code":     {Zh: "项目编码", En: "Project code"},
	"import_warnings":  {Zh: "导入警告", En: "Import warnings"},
	"severity.import":  {Zh: "导入警告", En: "import warning"},
	"more":             {Zh: "（同类警告共 %d 条，仅列首条）", En: " (%d warnings of this kind; the first is shown)"},
	"suspect":          {Zh: "；%d 个项目金额单位存疑（疑似以元填入万元栏），金额未计入合计", En: "; %d with a doubtful unit (元 under 万元?), amounts left out of the totals"},
	"suspect_row":      {Zh: "金额单位存疑（疑似以元填入万元栏），未计入合计", En: "doubtful unit (元 under 万元?): not in the totals"},
	"project":          {Zh: "项目名称", En: "Project"},
	"unit":             {Zh: "预算单位", En: "Budget unit"},
	"requested":        {Zh: "申报金额（万元）", En: "Requested (10k CNY)"},
	"recommended":      {Zh: "建议金额（万元）", En: "Recommended (10k CNY)"},
	"change":           {Zh: "调整金额（万元）", En: "Change (10k CNY)"},
	"score":            {Zh: "评估得分", En: "Score"},
	"conclusion":       {Zh: "评估结论", En: "Conclusion"},
	"errors":           {Zh: "错误", En: "Errors"},
	"warnings":         {Zh: "警告", En: "Warnings"},
	"infos":            {Zh: "提示", En: "Infos"},
	"error":            {Zh: "无法评估的原因", En: "Why it could not be evaluated"},
	"code":             {Zh: "代码", En: "Code"},
	"severity":         {Zh: "严重程度", En: "Severity"},
	"finding":          {Zh: "问题", En: "Finding"},
	"subject":          {Zh: "对象", En: "Subject"},
	"location":         {Zh: "位置", En: "Location"},
	"message":          {Zh: "说明", En: "Message"},
	"adjustment":       {Zh: "调整金额（万元）", En: "Adjustment (10k CNY)"},
	"line":             {Zh: "预算行", En: "Line"},
	"line_name":        {Zh: "预算行名称", En: "Line name"},
	"contract":         {Zh: "合同", En: "Contract"},
	"new":              {Zh: "新增", En: "New"},
	"yes":              {Zh: "是", En: "yes"},
	"line_requested":   {Zh: "申报（万元）", En: "Requested (10k CNY)"},
	"line_recommend":   {Zh: "建议（万元）", En: "Recommended (10k CNY)"},
	"line_change":      {Zh: "调整（万元）", En: "Change (10k CNY)"},
	"total":            {Zh: "合计", En: "Total"},
	"unreadable":       {Zh: "无法评估", En: "not evaluated"},
	"count":            {Zh: "%d 个项目（%d 个无法评估，%d 个未通过）", En: "%d submissions (%d not evaluated, %d failing)"},
	"partial":          {Zh: "部分结果：运行被中断，已处理 %d / %d 个输入文件", En: "PARTIAL: the run was interrupted after %d of %d input files"},
	"sentence":         {Zh: "%s；%s。", En: "%s; %s."},
	"complete":         {Zh: "已处理全部 %d 个输入文件", En: "all %d input files processed"},
	"severity.error":   {Zh: "错误", En: "error"},
	"severity.warning": {Zh: "警告", En: "warning"},
	"severity.info":    {Zh: "提示", En: "info"},
	// the target review (绩效目标审核)
	"review":          {Zh: "审核结果", En: "Review result"},
	"review_title":    {Zh: "绩效目标审核汇总", En: "Performance-target review: summary"},
	"notes":           {Zh: "审核意见", En: "Review notes"},
	"grades":          {Zh: "；审核结果：%s", En: "; review results: %s"},
	"grade.excellent": {Zh: "优", En: "excellent"},
	"grade.good":      {Zh: "良", En: "good"},
	"grade.fair":      {Zh: "中", En: "fair"},
	"grade.poor":      {Zh: "差", En: "poor"},
	"list_sep":        {Zh: "、", En: ", "},
}

func (w *Writer) label(key string) string { return labels[key].In(w.lang) }

func (w *Writer) status(st Status) string {
	if st.Partial {
		return fmt.Sprintf(w.label("partial"), st.Inputs, st.Total)
	}
	return fmt.Sprintf(w.label("complete"), st.Total)
}

func (w *Writer) count() string {
	t := w.totals
	s := fmt.Sprintf(w.label("count"), t.Submissions, t.Unreadable, t.Failed)
	if t.UnitSuspect > 0 {
		s += fmt.Sprintf(w.label("suspect"), t.UnitSuspect)
	}
	if g := t.GradeCounts(w.lang); g != "" {
		s += fmt.Sprintf(w.label("grades"), g)
	}
	return s
}

func (w *Writer) severity(s string) string {
	if l, ok := labels["severity."+s]; ok {
		return l.In(w.lang)
	}
	return s
}

// summaryKeys are the 汇总 sheet's columns.
var summaryKeys = []string{"rank", "file", "sheet", "project_code", "project", "unit", "requested", "recommended", "change", "score", "conclusion", "errors", "warnings", "infos", "import_warnings", "error", "review", "notes"}

// findingKeys are the 问题清单 sheet's columns.
var findingKeys = []string{"file", "sheet", "project_code", "project", "code", "severity", "finding", "subject", "location", "message", "adjustment"}

// summaryHeader is the 汇总 sheet's header, shared by the CSV.
func (w *Writer) summaryHeader() []string {
	keys := summaryKeys
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = w.label(k)
	}
	return out
}
