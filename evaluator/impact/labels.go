package impact

import (
	"strings"

	"github.com/shopspring/decimal"

	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
)

// labels are the words of the report in both languages.
var labels = map[string]ruleset.Text{
	"title":           {Zh: "规则变更影响", En: "Impact of the rule change"},
	"base":            {Zh: "变更前", En: "base"},
	"new":             {Zh: "变更后", En: "new"},
	"sides":           {Zh: "变更前：%s\n变更后：%s", En: "base: %s\nnew:  %s"},
	"counts":          {Zh: "%d 个项目（%d 个文件）：%d 个有变化，%d 个无变化；%d 个结论或等级变化", En: "%d projects (%d files): %d changed, %d unchanged; %d changed grade or conclusion"},
	"not_evaluated":   {Zh: "；%d 个在两种规则下都无法评估", En: "; %d could not be evaluated under either ruleset"},
	"partial":         {Zh: "部分结果：运行被中断，只比较了 %d 个输入文件", En: "PARTIAL: the run was interrupted; only %d input files were compared"},
	"outcomes":        {Zh: "结论或等级（行：变更前，列：变更后）", En: "Grade or conclusion (rows: base, columns: new)"},
	"corner":          {Zh: "变更前＼变更后", En: "base \\ new"},
	"error":           {Zh: "无法评估", En: "not evaluated"},
	"score":           {Zh: "得分", En: "Score"},
	"score_line":      {Zh: "%d 个项目得分变化：最小 %s，中位 %s，最大 %s", En: "%d projects changed score: min %s, median %s, max %s"},
	"score_none":      {Zh: "没有项目得分变化", En: "no project changed score"},
	"scores_head":     {Zh: "得分变化的项目", En: "Projects whose score changed"},
	"min":             {Zh: "最小", En: "min"},
	"median":          {Zh: "中位", En: "median"},
	"max":             {Zh: "最大", En: "max"},
	"budget":          {Zh: "建议预算（万元）", En: "Recommended budget (10k CNY)"},
	"budget_line":     {Zh: "变更前 %s，变更后 %s，变化 %s", En: "base %s, new %s, change %s"},
	"change":          {Zh: "变化", En: "change"},
	"findings":        {Zh: "问题（按代码）", En: "Findings by code"},
	"findings_none":   {Zh: "没有问题新增或消失", En: "no finding added or removed"},
	"code":            {Zh: "代码", En: "code"},
	"finding":         {Zh: "问题", En: "finding"},
	"added":           {Zh: "新增", En: "added"},
	"removed":         {Zh: "消失", En: "removed"},
	"projects":        {Zh: "有变化的项目", En: "Changed projects"},
	"projects_some":   {Zh: "有变化的项目（列出 %d 个，共 %d 个）", En: "Changed projects (%d of %d listed)"},
	"more":            {Zh: "还有 %d 个有变化的项目未列出：完整清单见 --format json 或 xlsx", En: "%d more changed projects not listed: see --format json or xlsx for all"},
	"none":            {Zh: "没有项目变化", En: "no project changed"},
	"file":            {Zh: "文件", En: "file"},
	"project":         {Zh: "项目", En: "project"},
	"outcome":         {Zh: "结论或等级", En: "grade or conclusion"},
	"recommended":     {Zh: "建议（万元）", En: "recommended (10k CNY)"},
	"colon":           {Zh: "：", En: ": "},
	"list_sep":        {Zh: "、", En: ", "},
	"field_sep":       {Zh: "；", En: "; "},
	"outcome_before":  {Zh: "结论或等级（变更前）", En: "Grade or conclusion (base)"},
	"outcome_after":   {Zh: "结论或等级（变更后）", En: "Grade or conclusion (new)"},
	"score_before":    {Zh: "得分（变更前）", En: "Score (base)"},
	"score_after":     {Zh: "得分（变更后）", En: "Score (new)"},
	"score_change":    {Zh: "得分变化", En: "Score change"},
	"rec_before":      {Zh: "建议金额（变更前，万元）", En: "Recommended (base, 10k CNY)"},
	"rec_after":       {Zh: "建议金额（变更后，万元）", En: "Recommended (new, 10k CNY)"},
	"rec_change":      {Zh: "建议金额变化（万元）", En: "Recommended change (10k CNY)"},
	"sheet":           {Zh: "工作表", En: "Sheet"},
	"index":           {Zh: "序号", En: "No."},
	"findings_change": {Zh: "问题变化", En: "Findings"},
	"added_long":      {Zh: "新增问题", En: "Findings added"},
	"removed_long":    {Zh: "消失问题", En: "Findings removed"},
	"errors_long":     {Zh: "无法评估的原因", En: "Why not evaluated"},
	"sheet_projects":  {Zh: "变化项目", En: "Changed projects"},
	"sheet_summary":   {Zh: "汇总", En: "Summary"},
	"count":           {Zh: "项目数", En: "projects"},
	"total":           {Zh: "合计", En: "total"},
}

func label(key, lang string) string { return labels[key].In(lang) }

// outcomeText is an outcome as a person reads it.
func outcomeText(o Outcome, lang string) string {
	if o.Code == ErrorCode {
		return label("error", lang)
	}
	if o.Text == "" {
		return o.Code
	}
	return o.Text
}

// sideText is a side as the report's head names it:
// "chengdu-pre-budget 1.0.0 (embedded:chengdu) + lag0.yaml".
func sideText(s Side) string {
	var parts []string
	for _, r := range s.Rulesets {
		parts = append(parts, strings.TrimSpace(r.Name+" "+r.Version)+" ("+r.Source+")")
	}
	return strings.Join(append([]string{strings.Join(parts, ", ")}, s.Data...), " + ")
}

// signed writes a change with its sign ("+4.816", "-20", "0").
func signed(d decimal.Decimal) string {
	if d.IsPositive() {
		return "+" + d.String()
	}
	return d.String()
}

func decText(d *decimal.Decimal) string {
	if d == nil {
		return "—"
	}
	return d.String()
}

// deltaText is "80 → 78.5 (-1.5)", or "80" when it did not change.
func deltaText(d Delta) string {
	if !d.Changed() {
		return decText(d.After)
	}
	s := decText(d.Before) + " → " + decText(d.After)
	if c, ok := d.Change(); ok {
		s += " (" + signed(c) + ")"
	}
	return s
}

// refsText lists findings grouped by code: "CODE T2、T8; CODE2 L1", each
// code on its own line when sep is a line break.
func refsText(fs []FindingRef, sep, subjectSep string) string {
	var parts []string
	for i := 0; i < len(fs); {
		j := i
		var subjects []string
		for ; j < len(fs) && fs[j].Code == fs[i].Code; j++ {
			if fs[j].Subject != "" {
				subjects = append(subjects, fs[j].Subject)
			}
		}
		part := fs[i].Code
		if len(subjects) > 0 {
			part += " " + strings.Join(subjects, subjectSep)
		}
		if n := j - i; len(subjects) == 0 && n > 1 {
			part += " ×" + itoa(n)
		}
		parts = append(parts, part)
		i = j
	}
	return strings.Join(parts, sep)
}

// fileText is the file, and a workbook project's number and sheet.
func (p *Project) fileText() string {
	s := p.File
	if p.Index > 0 {
		s += "#" + itoa(p.Index)
	}
	if p.Sheet != "" {
		s += " " + p.Sheet
	}
	return s
}
